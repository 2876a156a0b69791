-- The "before" preview the service made from the fetched source (issue 13), shown by the page
-- instead of loading the source's URL in the viewer's browser; null when the image has none.
alter table images add column preview_url varchar(512);
