//! Rendered pages kept while their region's data is unchanged: a county's dashboard is
//! read far more often than its data change. A page is used again only while the region's
//! write counters ([`Generation`]) are what they were when it was rendered, so a write by
//! any process (the server, a command-line import) shows at once.

use lru::LruCache;
use planwatch_store::Generation;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Pages kept at once (a county's dashboard is some tens to a few hundred kilobytes).
const PAGES: usize = 256;

/// Which page of which region, for which report year as asked (`None`: the latest).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub page: &'static str,
    pub region: i64,
    pub year: Option<i32>,
}

pub struct PageCache {
    pages: Mutex<LruCache<PageKey, (Generation, Arc<str>)>>,
}

impl Default for PageCache {
    fn default() -> PageCache {
        PageCache {
            pages: Mutex::new(LruCache::new(
                NonZeroUsize::new(PAGES).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }
}

impl PageCache {
    /// The page as rendered at `generation`, if it is kept.
    pub fn get(&self, key: &PageKey, generation: Generation) -> Option<Arc<str>> {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        match pages.get(key) {
            Some((seen, page)) if *seen == generation => Some(page.clone()),
            _ => None,
        }
    }

    pub fn put(&self, key: PageKey, generation: Generation, page: Arc<str>) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.put(key, (generation, page));
    }
}
