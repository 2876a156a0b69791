-- The owner of the API key a request was uploaded with (issue 13); null for requests uploaded
-- without keys. An owner lists their requests newest first and their limits count their
-- unfinished requests and their images of the last hour: all by owner, then creation time.
alter table requests add column owner varchar(64);
create index requests_owner on requests (owner, created_at);
