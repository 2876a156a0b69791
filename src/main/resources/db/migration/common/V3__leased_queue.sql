-- The queue claims in index order at any size: due, unleased jobs are marked ready = 1 and
-- claimed by (ready, priority, rank, job_id); leased and waiting jobs are ready = 0 and become
-- ready when visible_at passes (index on ready, visible_at). A lease carries a token that every
-- later write of its holder must present, and deliveries counts the hand-outs.
alter table jobs add column ready smallint not null default 1;
alter table jobs add column job_rank bigint not null default 0;
alter table jobs add column visible_at timestamp with time zone;
alter table jobs add column lease_token varchar(36);
alter table jobs add column deliveries int not null default 0;
update jobs set visible_at = case when locked_until is not null and locked_until > run_at
                                  then locked_until else run_at end;
update jobs set ready = 0;
alter table jobs alter column visible_at set not null;
drop index jobs_due;
alter table jobs drop column locked_until;
alter table jobs drop column locked_by;
alter table jobs drop column run_at;
create index jobs_ready on jobs (ready, priority, job_rank, job_id);
create index jobs_waiting on jobs (ready, visible_at);
create index jobs_created on jobs (created_at);
