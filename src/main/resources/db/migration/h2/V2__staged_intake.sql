-- An upload is answered once its request row and its validated rows are stored here; a job then
-- expands the rows into products, images and image jobs in one transaction, off the HTTP thread.
create table staged_uploads (
    request_id  varchar(36) primary key references requests (request_id),
    rows_text   clob        not null
);

-- Small jobs (expanding an upload, delivering a webhook) go before the bulk of image jobs.
alter table jobs add column priority int not null default 2;
drop index jobs_due;
create index jobs_due on jobs (priority, run_at);
