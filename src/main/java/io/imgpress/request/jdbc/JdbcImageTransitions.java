package io.imgpress.request.jdbc;

import io.imgpress.db.BatchCounts;
import io.imgpress.db.ConditionalOnSqlStore;
import io.imgpress.db.ErrorText;
import io.imgpress.db.Timestamps;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.RequestStatus;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.ToLongFunction;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@link ImageTransitions} on plain JDBC, in batches: a call is one transaction whatever its size.
 * Every image change is a conditional update on the image's current status and owner, so a job
 * delivered twice cannot count an image twice and a worker that lost its job cannot move the image;
 * these run as one JDBC batch. Then each request touched gets one update that adds up its counters,
 * settles its final status and increments its change number, with which all its changed images are
 * stamped.
 *
 * <p>Images are updated in id order and requests in id order, images before requests as in every
 * transition, so two concurrent calls cannot wait for each other in a cycle.
 */
@Repository
@ConditionalOnSqlStore
class JdbcImageTransitions implements ImageTransitions {

  /** Rows per JDBC batch and ids per {@code in (...)} list. */
  private static final int CHUNK = 500;

  private static final String START =
      """
      update images set status = 'PROCESSING', lease_owner = ?, attempts = attempts + 1,
                        updated_at = ?, change_number = ?
      where image_id = ?
        and (status = 'PENDING'
             or status = 'PROCESSING' and (lease_owner is null or lease_owner <> ?))""";

  /**
   * Every change in one statement, so that a call is one batch: a completion sets the output and
   * preview, a failure or retry the error, a hand-back keeps the error and gives back the attempt.
   * Only a processing image of the caller moves.
   */
  private static final String CHANGE =
      """
      update images set status = ?, lease_owner = null,
             output_url = coalesce(?, output_url),
             preview_url = coalesce(?, preview_url),
             input_bytes = coalesce(?, input_bytes),
             output_bytes = coalesce(?, output_bytes),
             output_quality = coalesce(?, output_quality),
             error = case when ? = 1 then error else ? end,
             attempts = case when ? = 1 then greatest(attempts - 1, 0) else attempts end,
             updated_at = ?, change_number = ?
      where image_id = ? and status = 'PROCESSING' and lease_owner = ?""";

  /**
   * Takes the next change number of each request a call touches before its images move, so that
   * every image is stamped in the statement that moves it; the request row then stays locked until
   * commit, so numbers become visible in the order they are given. A request none of whose images
   * moved gets its number back ({@link #UNDO_CHANGE}), still under the lock: a call that changes
   * nothing changes no number.
   */
  private static final String NEXT_CHANGE =
      "update requests set change_number = change_number + 1 where request_id = ?";

  private static final String UNDO_CHANGE =
      "update requests set change_number = change_number - 1 where request_id = ?";

  /** {@link #NEXT_CHANGE} for a start, which also marks a pending request processing. */
  private static final String START_REQUEST =
      """
      update requests set
        change_number = change_number + 1,
        status = case when status = 'PENDING' then 'PROCESSING' else status end,
        updated_at = case when status = 'PENDING' then ? else updated_at end
      where request_id = ?""";

  /**
   * Counts {@code done} final images of which {@code failed} failed and settles the status: the
   * request is final when its last image is, COMPLETED when at least one image completed. A call
   * that only put images back to pending changes neither status nor time.
   */
  private static final String SETTLE_REQUEST =
      """
      update requests set
        processed_images = processed_images + ?,
        failed_images = failed_images + ?,
        status = case
          when ? = 0 then status
          when processed_images + ? < total_images then 'PROCESSING'
          when failed_images + ? = total_images then 'FAILED'
          else 'COMPLETED' end,
        updated_at = case when ? = 0 then updated_at else ? end
      where request_id = ?""";

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final Clock clock;

  private final JdbcOutboxWriter outbox;

  JdbcImageTransitions(JdbcClient jdbc, JdbcTemplate template, Clock clock) {
    this.jdbc = jdbc;
    this.template = template;
    this.clock = clock;
    this.outbox = new JdbcOutboxWriter(template);
  }

  @Override
  @Transactional
  public Optional<ImageWork> start(long imageId, String owner) {
    return startAll(List.of(new Start(imageId, owner))).stream().findFirst();
  }

  @Override
  @Transactional
  public Outcome complete(
      long imageId, String owner, String outputPath, long inputBytes, long outputBytes) {
    return record(List.of(new Completion(imageId, owner, outputPath, inputBytes, outputBytes)))
        .getFirst();
  }

  @Override
  @Transactional
  public Outcome fail(long imageId, String owner, String error) {
    return record(List.of(new Failure(imageId, owner, error))).getFirst();
  }

  @Override
  @Transactional
  public boolean retry(long imageId, String owner, String error) {
    return record(List.of(new Retry(imageId, owner, error))).getFirst().applied();
  }

  @Override
  @Transactional
  public boolean handBack(long imageId, String owner) {
    return record(List.of(new HandBack(imageId, owner))).getFirst().applied();
  }

  @Override
  @Transactional
  public List<ImageWork> startAll(List<Start> starts) {
    List<Start> first = firstPerImage(starts, Start::imageId);
    if (first.isEmpty()) {
      return List.of();
    }
    OffsetDateTime now = now();
    Map<Long, String> requestOf = readRequestIds(first.stream().map(Start::imageId).toList());
    Set<String> requests = new TreeSet<>(requestOf.values());
    Map<String, Long> numbers =
        nextChangeNumbers(
            requests,
            START_REQUEST,
            (ps, requestId) -> {
              ps.setObject(1, now);
              ps.setString(2, requestId);
            });
    forgetDeleted(requestOf, numbers);
    List<Start> inIdOrder =
        first.stream()
            .filter(st -> requestOf.containsKey(st.imageId()))
            .sorted(Comparator.comparingLong(Start::imageId))
            .toList();
    int[][] counts =
        template.batchUpdate(
            START,
            inIdOrder,
            CHUNK,
            (ps, st) -> {
              ps.setString(1, st.owner());
              ps.setObject(2, now);
              ps.setLong(3, numbers.get(requestOf.get(st.imageId())));
              ps.setLong(4, st.imageId());
              ps.setString(5, st.owner());
            });
    List<Long> started = new ArrayList<>();
    List<Boolean> applied = BatchCounts.changedOne(counts);
    for (int i = 0; i < inIdOrder.size(); i++) {
      if (applied.get(i)) {
        started.add(inIdOrder.get(i).imageId());
      }
    }
    Set<String> moved = new TreeSet<>();
    started.forEach(id -> moved.add(requestOf.get(id)));
    undoUnmoved(requests, moved);
    if (started.isEmpty()) {
      return List.of();
    }
    Map<Long, ImageWork> work = readWork(started);
    return first.stream().map(st -> work.get(st.imageId())).filter(w -> w != null).toList();
  }

  @Override
  @Transactional
  public List<Outcome> record(List<Change> changes) {
    if (changes.isEmpty()) {
      return List.of();
    }
    OffsetDateTime now = now();
    Map<Long, String> requestOf = readRequestIds(changes.stream().map(Change::imageId).toList());
    // Only the first change of an image is tried; the ones tried go in image id order.
    Set<Long> seen = new HashSet<>();
    List<Integer> tried = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      long imageId = changes.get(i).imageId();
      if (seen.add(imageId) && requestOf.containsKey(imageId)) {
        tried.add(i);
      }
    }
    tried.sort(Comparator.comparingLong(i -> changes.get(i).imageId()));
    Set<String> touched =
        new TreeSet<>(tried.stream().map(i -> requestOf.get(changes.get(i).imageId())).toList());
    Map<String, Long> numbers =
        nextChangeNumbers(touched, NEXT_CHANGE, (ps, requestId) -> ps.setString(1, requestId));
    forgetDeleted(requestOf, numbers);
    tried.removeIf(i -> !requestOf.containsKey(changes.get(i).imageId()));
    List<Boolean> took =
        BatchCounts.changedOne(
            template.batchUpdate(
                CHANGE,
                tried,
                CHUNK,
                (ps, i) -> {
                  Change change = changes.get(i);
                  setChange(ps, change, now, numbers.get(requestOf.get(change.imageId())));
                }));
    boolean[] applied = new boolean[changes.size()];
    Map<String, Tally> tallies = new TreeMap<>();
    for (int t = 0; t < tried.size(); t++) {
      if (took.get(t)) {
        int i = tried.get(t);
        applied[i] = true;
        tallies
            .computeIfAbsent(requestOf.get(changes.get(i).imageId()), r -> new Tally())
            .add(changes.get(i), i);
      }
    }
    undoUnmoved(touched, tallies.keySet());
    List<Map.Entry<String, Tally>> settled = List.copyOf(tallies.entrySet());
    template.batchUpdate(
        SETTLE_REQUEST,
        settled,
        CHUNK,
        (ps, e) -> {
          Tally tally = e.getValue();
          ps.setInt(1, tally.done);
          ps.setInt(2, tally.failed);
          ps.setInt(3, tally.done);
          ps.setInt(4, tally.done);
          ps.setInt(5, tally.failed);
          ps.setInt(6, tally.done);
          ps.setObject(7, now);
          ps.setString(8, e.getKey());
        });
    Map<String, RequestState> states = readRequests(new TreeSet<>(requestOf.values()));
    // A final image applied to a request that is final now is its last one: it just finished.
    outbox.webhooks(
        tallies.entrySet().stream()
            .filter(e -> e.getValue().done > 0 && states.get(e.getKey()).status().isFinal())
            .map(Map.Entry::getKey)
            .toList(),
        now);
    List<Outcome> outcomes = new ArrayList<>(changes.size());
    for (int i = 0; i < changes.size(); i++) {
      String requestId = requestOf.get(changes.get(i).imageId());
      if (requestId == null) {
        outcomes.add(new Outcome(false, null, null, false));
        continue;
      }
      RequestStatus status = states.get(requestId).status();
      Tally tally = tallies.get(requestId);
      boolean finished = applied[i] && status.isFinal() && tally.lastApplied == i;
      outcomes.add(new Outcome(applied[i], UUID.fromString(requestId), status, finished));
    }
    return outcomes;
  }

  private static void setChange(
      PreparedStatement ps, Change change, OffsetDateTime now, long changeNumber)
      throws SQLException {
    String status;
    String outputPath = null;
    String previewPath = null;
    Long inputBytes = null;
    Long outputBytes = null;
    Integer outputQuality = null;
    boolean keepError = false;
    String error = null;
    boolean giveBackAttempt = false;
    switch (change) {
      case Completion c -> {
        status = "COMPLETED";
        outputPath = c.outputPath();
        previewPath = c.previewPath();
        inputBytes = c.inputBytes();
        outputBytes = c.outputBytes();
        outputQuality = c.outputQuality();
      }
      case Failure f -> {
        status = "FAILED";
        error = ErrorText.fit(f.error());
      }
      case Retry r -> {
        status = "PENDING";
        error = ErrorText.fit(r.error());
      }
      case HandBack h -> {
        status = "PENDING";
        keepError = true;
        giveBackAttempt = true;
      }
    }
    ps.setString(1, status);
    ps.setString(2, outputPath);
    ps.setString(3, previewPath);
    ps.setObject(4, inputBytes, Types.BIGINT);
    ps.setObject(5, outputBytes, Types.BIGINT);
    ps.setObject(6, outputQuality, Types.INTEGER);
    ps.setInt(7, keepError ? 1 : 0);
    ps.setString(8, error);
    ps.setInt(9, giveBackAttempt ? 1 : 0);
    ps.setObject(10, now);
    ps.setLong(11, changeNumber);
    ps.setLong(12, change.imageId());
    ps.setString(13, change.owner());
  }

  /** What one call changed in one request. */
  private static final class Tally {
    int done;
    int failed;
    int lastApplied = -1;

    void add(Change change, int index) {
      if (change instanceof Completion || change instanceof Failure) {
        done++;
      }
      if (change instanceof Failure) {
        failed++;
      }
      lastApplied = Math.max(lastApplied, index);
    }
  }

  private record RequestState(RequestStatus status, long changeNumber) {}

  private Map<Long, ImageWork> readWork(List<Long> imageIds) {
    Map<Long, ImageWork> work = new HashMap<>();
    for (List<Long> chunk : chunks(imageIds)) {
      jdbc.sql(
              """
              select i.image_id, i.request_id, i.input_url, i.attempts,
                     r.quality, r.output_format, r.max_width, r.max_height
              from images i join requests r on r.request_id = i.request_id
              where i.image_id in (:ids)""")
          .param("ids", chunk)
          .query(
              (rs, row) ->
                  new ImageWork(
                      rs.getLong("image_id"),
                      UUID.fromString(rs.getString("request_id")),
                      rs.getString("input_url"),
                      JdbcRequestRepository.output(rs),
                      rs.getInt("attempts")))
          .list()
          .forEach(w -> work.put(w.imageId(), w));
    }
    return work;
  }

  /** The request of each image that exists; the mapping never changes, so no lock is needed. */
  private Map<Long, String> readRequestIds(List<Long> imageIds) {
    Map<Long, String> requestOf = new HashMap<>();
    for (List<Long> chunk : chunks(List.copyOf(new TreeSet<>(imageIds)))) {
      jdbc.sql("select image_id, request_id from images where image_id in (:ids)")
          .param("ids", chunk)
          .query((rs, row) -> requestOf.put(rs.getLong(1), rs.getString(2)))
          .list();
    }
    return requestOf;
  }

  /** Read after this call's updates, which hold the rows until commit. */
  private Map<String, RequestState> readRequests(Set<String> requestIds) {
    Map<String, RequestState> states = new HashMap<>();
    for (List<String> chunk : chunks(List.copyOf(requestIds))) {
      jdbc.sql("select request_id, status, change_number from requests where request_id in (:ids)")
          .param("ids", chunk)
          .query(
              (rs, row) ->
                  states.put(
                      rs.getString(1),
                      new RequestState(RequestStatus.valueOf(rs.getString(2)), rs.getLong(3))))
          .list();
    }
    return states;
  }

  /**
   * Leaves out the images of requests deleted between the read of their ids and the lock of the
   * request rows: such a request has no change number, and its images are gone with it.
   */
  private static void forgetDeleted(Map<Long, String> requestOf, Map<String, Long> numbers) {
    requestOf.values().retainAll(numbers.keySet());
  }

  private void undoUnmoved(Set<String> touched, Set<String> moved) {
    List<String> unmoved = touched.stream().filter(r -> !moved.contains(r)).toList();
    if (!unmoved.isEmpty()) {
      template.batchUpdate(
          UNDO_CHANGE, unmoved, CHUNK, (ps, requestId) -> ps.setString(1, requestId));
    }
  }

  /**
   * Runs {@code bump}, which increments the change number, on each request in id order, and returns
   * the new numbers.
   */
  private Map<String, Long> nextChangeNumbers(
      Set<String> requestIds, String bump, ParameterizedPreparedStatementSetter<String> params) {
    template.batchUpdate(bump, List.copyOf(requestIds), CHUNK, params);
    Map<String, Long> numbers = new HashMap<>();
    readRequests(requestIds).forEach((id, state) -> numbers.put(id, state.changeNumber()));
    return numbers;
  }

  private static <T> List<T> firstPerImage(List<T> items, ToLongFunction<T> imageId) {
    Set<Long> seen = new HashSet<>();
    return items.stream().filter(item -> seen.add(imageId.applyAsLong(item))).toList();
  }

  private static <T> List<List<T>> chunks(List<T> items) {
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < items.size(); from += CHUNK) {
      chunks.add(items.subList(from, Math.min(items.size(), from + CHUNK)));
    }
    return chunks;
  }

  private OffsetDateTime now() {
    return Timestamps.of(clock.instant());
  }
}
