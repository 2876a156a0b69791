-- Image ids are handed out at upload, one block per request in input order, so an image has the
-- same id in /status before and after its upload is expanded into image rows.
create table image_id_blocks (
    next_id  bigint not null
);
insert into image_id_blocks (next_id) select coalesce(max(image_id), 0) + 1 from images;

alter table staged_uploads add column first_image_id bigint;
-- Uploads staged before this version get their blocks now, one after another.
update staged_uploads s set first_image_id =
    (select next_id from image_id_blocks)
    + (select coalesce(sum(r.total_images), 0)
       from staged_uploads o join requests r on r.request_id = o.request_id
       where o.request_id < s.request_id);
update image_id_blocks set next_id = next_id
    + (select coalesce(sum(r.total_images), 0)
       from staged_uploads s join requests r on r.request_id = s.request_id);
alter table staged_uploads alter column first_image_id set not null;

-- Change numbers: every change of an image increments its request's counter and stamps the image
-- with the new value, in one transaction that holds the request row. Numbers therefore become
-- visible in order, and "the images changed after number n" is an exact, indexed question: the
-- status event stream sends only those.
alter table requests add column change_number bigint not null default 0;
alter table images add column change_number bigint not null default 0;
create index images_changes on images (request_id, change_number);

-- A page of products reads its images by product; without this index each product of the page
-- scanned the images table.
create index images_product on images (product_id, position);
