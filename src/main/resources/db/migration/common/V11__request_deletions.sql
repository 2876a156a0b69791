-- Deleting a request (DELETE /requests/{id}, retention): the transaction that removes its rows
-- records it here, so that its stored images, which only the request id still names, are removed
-- even if the process dies before it gets to them; a sweeper looks at a row when it is due (at
-- once, then once more after in-flight attempts had time to end) and forgets it after that.
create table request_deletions (
    request_id  varchar(36) primary key,
    deleted_at  timestamp with time zone not null,
    due_at      timestamp with time zone not null
);
create index request_deletions_due on request_deletions (due_at, request_id);

-- Retention: finished requests, oldest change first.
create index requests_finished on requests (status, updated_at);
