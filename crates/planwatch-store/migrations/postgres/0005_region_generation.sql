-- A counter per region, raised by every write to the region's plans, indicator system or
-- reported data, so that a server can tell in one cheap query whether what it computed
-- for a region (or a whole subtree of regions) is still current.
ALTER TABLE regions ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
