//! `planwatch serve` as run in production: its address on stdout as before, and one log
//! line per request on stderr (method, path, status, latency), with the cause of a 500.

use crate::support::bin;
use std::io::{BufRead, BufReader, Lines, Read, Write};
use std::process::{Child, ChildStdout, Stdio};

/// A running `planwatch serve` on a free port.
struct Server {
    child: Child,
    /// `127.0.0.1:port`.
    host: String,
    /// What it printed on stdout up to and including its address.
    printed: String,
    /// Kept open: a server whose stdout reader is gone ends at its next line.
    _stdout: Lines<BufReader<ChildStdout>>,
    /// A read token of the administrator, sent with every request.
    token: String,
}

/// Makes sure the database has an administrator (serve refuses to start without one) and
/// returns a new read token of it, both made as an office's administrator would.
fn administrator(db: &str) -> String {
    let mut add = bin()
        .args(["user", "add", "admin", "--role", "admin", "--db", db])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("user add");
    add.stdin
        .take()
        .expect("stdin")
        .write_all(b"serve-test-password\n")
        .expect("password");
    // A second server on the same database finds the account there already.
    let _ = add.wait_with_output().expect("user add");
    let out = bin()
        .args(["token", "create", "admin", "--name", "测试", "--db", db])
        .output()
        .expect("token create");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

impl Server {
    fn start(db: &str, rust_log: Option<&str>) -> Server {
        let token = administrator(db);
        let mut cmd = bin();
        cmd.args(["serve", "--db", db, "--addr", "127.0.0.1:0"])
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(filter) = rust_log {
            cmd.env("RUST_LOG", filter);
        }
        let mut child = cmd.spawn().expect("spawn serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut printed = String::new();
        let mut host = None;
        for line in lines.by_ref() {
            let line = line.expect("line");
            printed.push_str(&line);
            printed.push('\n');
            if let Some(i) = line.find("http://") {
                host = Some(
                    line[i + "http://".len()..]
                        .trim()
                        .trim_end_matches('/')
                        .to_string(),
                );
                break;
            }
        }
        let Some(host) = host else {
            let _ = child.kill();
            let out = child.wait_with_output().expect("wait");
            panic!(
                "serve printed no address: {printed}{}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        Server {
            child,
            host,
            printed,
            _stdout: lines,
            token,
        }
    }

    /// The status line and body of `GET target`.
    fn get(&self, target: &str) -> String {
        let mut stream = std::net::TcpStream::connect(&self.host).expect("connect");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
            self.host, self.token
        )
        .expect("send");
        let mut page = String::new();
        stream.read_to_string(&mut page).expect("read");
        page
    }

    /// Stops the server; returns what it logged.
    fn stop(self) -> String {
        let Server { mut child, .. } = self;
        let _ = child.kill();
        let mut log = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            let _ = stderr.read_to_string(&mut log);
        }
        let _ = child.wait();
        log
    }
}

/// The log line of the request for `path` (the span prints `path=/…`).
fn request_line<'a>(log: &'a str, path: &str) -> Option<&'a str> {
    let needle = format!("path={path}}}");
    log.lines().find(|l| l.contains(&needle))
}

/// Without an administrator nobody could log in: serve says how to make one and stops.
#[test]
fn serve_refuses_a_database_without_an_administrator() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}", dir.path().join("p.db").display());
    let out = bin()
        .args(["serve", "--db", &db, "--addr", "127.0.0.1:0"])
        .output()
        .expect("serve");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("还没有可用的系统管理员账号"), "{stderr}");
    assert!(
        stderr.contains("planwatch user add admin --role admin"),
        "{stderr}"
    );
}

#[test]
fn serve_logs_each_request_on_stderr() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}", dir.path().join("p.db").display());
    let server = Server::start(&db, None);
    let token = server.token.clone();
    assert!(
        server
            .printed
            .starts_with("planwatch 已启动：http://127.0.0.1:"),
        "{}",
        server.printed
    );
    assert!(server.get("/").starts_with("HTTP/1.1 200"));
    assert!(
        server
            .get("/plans/999?token=secret")
            .starts_with("HTTP/1.1 404")
    );
    let log = server.stop();

    let line = request_line(&log, "/").unwrap_or_else(|| panic!("no line for /: {log}"));
    for part in ["INFO", "method=GET", "status=200", "latency_ms="] {
        assert!(line.contains(part), "{part} missing: {line}");
    }
    let line = request_line(&log, "/plans/999").unwrap_or_else(|| panic!("no 404 line: {log}"));
    assert!(line.contains("status=404"), "{line}");
    // The query string stays out of the log, and so does the token.
    assert!(!log.contains("secret"), "{log}");
    assert!(token.starts_with("pwt_") && !log.contains(&token), "{log}");
    // Escape codes only on a terminal.
    assert!(!log.contains('\u{1b}'), "{log}");

    // RUST_LOG is respected: at warn, no request lines.
    let server = Server::start(&db, Some("warn"));
    assert!(server.get("/").starts_with("HTTP/1.1 200"));
    let log = server.stop();
    assert!(request_line(&log, "/").is_none(), "{log}");
}

/// The database goes away under a running server: the page is the Chinese 500 page, and
/// the log has the request's line with status 500 and, labelled with the same request,
/// the cause.
#[test]
fn a_500_is_logged_with_its_cause() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let db = rt
        .block_on(planwatch_store::sql::test_util::TestDatabase::create())
        .expect("database");
    let server = Server::start(&db.url, None);
    assert!(server.get("/").starts_with("HTTP/1.1 200"));
    rt.block_on(async {
        use sqlx::Connection;
        let server_url = planwatch_store::sql::test_util::server_url();
        let mut admin = sqlx::PgConnection::connect(&server_url)
            .await
            .expect("connect to the server");
        let sql = format!("DROP DATABASE \"{}\" WITH (FORCE)", db.name);
        sqlx::query(&sql).execute(&mut admin).await.expect("drop");
        let _ = admin.close().await;
    });
    let page = server.get("/");
    assert!(page.starts_with("HTTP/1.1 500"), "{page}");
    assert!(page.contains("服务器内部错误"), "{page}");
    let log = server.stop();

    let lines: Vec<&str> = log.lines().filter(|l| l.contains("path=/}")).collect();
    assert!(
        lines.iter().any(|l| l.contains("status=500")),
        "no 500 line: {log}"
    );
    let cause = lines
        .iter()
        .find(|l| l.contains("ERROR") && l.contains("database error"))
        .unwrap_or_else(|| panic!("no cause logged for the request: {log}"));
    assert!(cause.contains(&db.name), "{cause}");
}

/// The administrator's commands: a role on a region that does not exist is refused in
/// Chinese and the attempt is in the audit log; a password that is too short is refused.
#[test]
fn user_commands_refuse_bad_input_clearly() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}", dir.path().join("p.db").display());
    let add = |args: &[&str], password: &str| {
        let mut child = bin()
            .args(args)
            .args(["--db", &db])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{password}\n").as_bytes())
            .expect("password");
        child.wait_with_output().expect("wait")
    };
    let out = add(
        &[
            "user",
            "add",
            "zhang",
            "--role",
            "office",
            "--region",
            "不存在县",
        ],
        "long-enough-1",
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("未找到地区“不存在县”"), "{stderr}");
    let out = add(&["user", "add", "zhang", "--role", "admin"], "short");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("至少需要 8 个字符"));
    let out = add(&["user", "add", "zhang", "--role", "局长"], "long-enough-1");
    assert!(String::from_utf8_lossy(&out.stderr).contains("未知的角色“局长”"));
    let out = add(
        &["user", "add", "zhang", "--role", "admin"],
        "long-enough-1",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = bin()
        .args(["user", "list", "--db", &db])
        .output()
        .expect("list");
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.contains("zhang") && list.contains("系统管理员"),
        "{list}"
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let log = rt.block_on(async {
        let store = planwatch_store::open(&db).await.expect("open");
        store.audit_log(None, 50).await.expect("audit")
    });
    assert!(
        log.iter()
            .any(|e| e.subject == "不存在县" && e.detail.contains("未执行")),
        "{log:?}"
    );
    assert!(log.iter().any(|e| e.subject == "zhang"));
}
