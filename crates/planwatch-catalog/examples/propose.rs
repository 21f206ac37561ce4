//! Prints the proposals for names given as `kind unit domain name` lines on stdin.
use planwatch_catalog::Catalog;
use planwatch_catalog::mapping::Query;
use planwatch_catalog::propose::propose;
use planwatch_core::PlanKind;
use std::io::BufRead;

fn main() {
    let Ok(c) = Catalog::shipped() else { return };
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 4 {
            continue;
        }
        let kind = PlanKind::parse(f[0]).unwrap_or(PlanKind::Women);
        let q = Query {
            indicator: f[3],
            unit: Some(f[1]).filter(|u| !u.is_empty()),
            kind,
            domain: Some(f[2]).filter(|d| !d.is_empty()),
        };
        println!("{}", f[3]);
        for p in propose(&c, &q) {
            println!(
                "   {} {} {:.3} {} | {}",
                p.code,
                p.name,
                p.confidence,
                p.certainty_zh(),
                p.basis_zh()
            );
        }
    }
}
