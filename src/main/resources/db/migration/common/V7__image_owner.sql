-- One owner per image: the lease handle of the job whose attempt is running. Every transition of
-- a running image names its owner and changes nothing for anyone else, so a worker that lost its
-- job is fenced by the request store itself, whatever the queue can tell.
alter table images add column lease_owner varchar(200);
