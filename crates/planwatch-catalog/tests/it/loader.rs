use planwatch_catalog::{Catalog, CatalogError};

#[test]
fn shipped_catalog_loads() {
    let catalog = match Catalog::shipped() {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    println!("catalog: {} indicators", catalog.len());
    assert!(catalog.len() >= 150);
}
