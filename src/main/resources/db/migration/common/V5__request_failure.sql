-- Why a request failed as a whole, before any of its images was processed: its staged rows could
-- not be expanded into images (a value the database refused, or an expansion that kept failing).
alter table requests add column error varchar(500);
