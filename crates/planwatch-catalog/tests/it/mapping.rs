use planwatch_catalog::Catalog;
