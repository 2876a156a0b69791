package io.imgpress.request.jdbc;

import io.imgpress.db.ErrorText;
import io.imgpress.db.Timestamps;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.RequestStatus;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@link ImageTransitions} on plain JDBC. Every transition is a conditional update on the image's
 * current status and owner, so a job delivered twice cannot count an image twice and a worker that
 * lost its job cannot move the image; the request row is updated in the same transaction with one
 * statement that also settles its final status and increments its change number, with which the
 * image is then stamped.
 */
@Repository
class JdbcImageTransitions implements ImageTransitions {

  private final JdbcClient jdbc;
  private final Clock clock;

  JdbcImageTransitions(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  @Transactional
  public Optional<ImageWork> start(long imageId, String owner) {
    OffsetDateTime now = now();
    int updated =
        jdbc.sql(
                """
                update images set status = 'PROCESSING', lease_owner = ?, attempts = attempts + 1,
                                  updated_at = ?
                where image_id = ?
                  and (status = 'PENDING'
                       or status = 'PROCESSING'
                          and (lease_owner is null or lease_owner <> ?))""")
            .params(owner, now, imageId, owner)
            .update();
    if (updated == 0) {
      return Optional.empty();
    }
    ImageWork work =
        jdbc.sql(
                """
                select i.image_id, i.request_id, i.input_url, i.attempts, r.quality
                from images i join requests r on r.request_id = i.request_id
                where i.image_id = ?""")
            .param(imageId)
            .query(
                (rs, row) ->
                    new ImageWork(
                        rs.getLong("image_id"),
                        UUID.fromString(rs.getString("request_id")),
                        rs.getString("input_url"),
                        rs.getInt("quality"),
                        rs.getInt("attempts")))
            .single();
    String requestId = work.requestId().toString();
    jdbc.sql(
            """
            update requests set
              change_number = change_number + 1,
              status = case when status = 'PENDING' then 'PROCESSING' else status end,
              updated_at = case when status = 'PENDING' then ? else updated_at end
            where request_id = ?""")
        .params(now, requestId)
        .update();
    stampChange(imageId, requestId);
    return Optional.of(work);
  }

  @Override
  @Transactional
  public Outcome complete(
      long imageId, String owner, String outputPath, long inputBytes, long outputBytes) {
    int updated =
        jdbc.sql(
                """
                update images set status = 'COMPLETED', output_url = ?, input_bytes = ?,
                       output_bytes = ?, error = null, lease_owner = null, updated_at = ?
                where image_id = ? and status = 'PROCESSING' and lease_owner = ?""")
            .params(outputPath, inputBytes, outputBytes, now(), imageId, owner)
            .update();
    return settle(imageId, updated == 1, 0);
  }

  @Override
  @Transactional
  public Outcome fail(long imageId, String owner, String error) {
    int updated =
        jdbc.sql(
                """
                update images set status = 'FAILED', error = ?, lease_owner = null, updated_at = ?
                where image_id = ? and status = 'PROCESSING' and lease_owner = ?""")
            .params(ErrorText.fit(error), now(), imageId, owner)
            .update();
    return settle(imageId, updated == 1, 1);
  }

  @Override
  @Transactional
  public boolean retry(long imageId, String owner, String error) {
    int updated =
        jdbc.sql(
                """
                update images set status = 'PENDING', error = ?, lease_owner = null, updated_at = ?
                where image_id = ? and status = 'PROCESSING' and lease_owner = ?""")
            .params(ErrorText.fit(error), now(), imageId, owner)
            .update();
    if (updated == 1) {
      String requestId = requestIdOf(imageId);
      jdbc.sql("update requests set change_number = change_number + 1 where request_id = ?")
          .param(requestId)
          .update();
      stampChange(imageId, requestId);
    }
    return updated == 1;
  }

  @Override
  @Transactional
  public boolean handBack(long imageId, String owner) {
    int updated =
        jdbc.sql(
                """
                update images set status = 'PENDING', lease_owner = null,
                                  attempts = greatest(attempts - 1, 0), updated_at = ?
                where image_id = ? and status = 'PROCESSING' and lease_owner = ?""")
            .params(now(), imageId, owner)
            .update();
    if (updated == 1) {
      String requestId = requestIdOf(imageId);
      jdbc.sql("update requests set change_number = change_number + 1 where request_id = ?")
          .param(requestId)
          .update();
      stampChange(imageId, requestId);
    }
    return updated == 1;
  }

  private Outcome settle(long imageId, boolean applied, int failed) {
    String requestId = requestIdOf(imageId);
    if (applied) {
      jdbc.sql(
              """
              update requests set
                change_number = change_number + 1,
                processed_images = processed_images + 1,
                failed_images = failed_images + ?,
                status = case
                  when processed_images + 1 < total_images then 'PROCESSING'
                  when failed_images + ? = total_images then 'FAILED'
                  else 'COMPLETED' end,
                updated_at = ?
              where request_id = ?""")
          .params(failed, failed, now(), requestId)
          .update();
      stampChange(imageId, requestId);
    }
    RequestStatus status =
        RequestStatus.valueOf(
            jdbc.sql("select status from requests where request_id = ?")
                .param(requestId)
                .query(String.class)
                .single());
    return new Outcome(applied, UUID.fromString(requestId), status);
  }

  private String requestIdOf(long imageId) {
    return jdbc.sql("select request_id from images where image_id = ?")
        .param(imageId)
        .query(String.class)
        .single();
  }

  /**
   * Stamps the image with its request's change number, which the caller has just incremented: the
   * request row stays locked until commit, so numbers become visible in the order they are given.
   */
  private void stampChange(long imageId, String requestId) {
    jdbc.sql(
            """
            update images set change_number =
              (select change_number from requests where request_id = ?)
            where image_id = ?""")
        .params(requestId, imageId)
        .update();
  }

  private OffsetDateTime now() {
    return Timestamps.of(clock.instant());
  }
}
