-- Per-request outputs (issue 14): the format (an OutputFormat name), the bounding box (0 = no
-- limit), and quality 0 meaning "auto", which needs no change of the quality column. Requests
-- made before this version were JPEGs at the source's size, which the defaults say.
alter table requests add column output_format varchar(8) default 'JPEG' not null;
alter table requests add column max_width int default 0 not null;
alter table requests add column max_height int default 0 not null;
-- The quality an image's output was encoded at: the request's, or the one chosen for "auto"; null
-- until it completed, and for images completed before this version.
alter table images add column output_quality int;
