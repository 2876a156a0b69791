package io.imgpress.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobKind;
import io.imgpress.queue.JobOutbox;
import io.imgpress.queue.JobOutbox.Entry;
import io.imgpress.queue.JobOutbox.Page;
import io.imgpress.queue.JobQueue.Job;
import io.imgpress.request.ImageTransitions.Completion;
import io.imgpress.request.ImageTransitions.Failure;
import io.imgpress.request.ImageTransitions.Start;
import io.imgpress.request.NewRequest.NewProduct;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every store's {@link JobOutbox} must do: the jobs each state change causes are recorded with
 * it, handed to one relay at a time, and derivable again from the state alone. Each store adapter's
 * test extends this.
 */
public abstract class JobOutboxContract {

  protected abstract RequestRepository requests();

  protected abstract ImageTransitions transitions();

  protected abstract JobOutbox outbox();

  /** The stores' notion of now. */
  protected abstract Instant now();

  protected abstract void advance(Duration duration);

  static final Duration LEASE = Duration.ofSeconds(30);

  private NewRequest request(String webhook, String... urls) {
    return new NewRequest(
        UUID.randomUUID(), 50, webhook, List.of(new NewProduct(1, "SKU", List.of(urls))));
  }

  /** Takes and relays everything, as a relay would; returns the jobs. */
  private List<Job> drain() {
    List<Job> jobs = new ArrayList<>();
    List<Entry> entries;
    while (!(entries = outbox().take(100, LEASE)).isEmpty()) {
      entries.forEach(e -> jobs.addAll(e.jobs()));
      outbox().relayed(entries);
    }
    return jobs;
  }

  private static List<String> describe(List<Job> jobs) {
    return jobs.stream().map(j -> j.kind() + " " + j.ref() + " " + j.rank()).toList();
  }

  @Test
  void deletingARequestRemovesTheEntriesOfItsJobsNotYetRelayed() {
    NewRequest staged = request("http://hook.test/a", "http://a.test/1.jpg");
    requests().stage(staged);
    NewRequest expanded = request(null, "http://a.test/1.jpg", "http://a.test/2.jpg");
    requests().stage(expanded);
    NewRequest kept = request(null, "http://a.test/3.jpg");
    requests().stage(kept);
    drain();
    List<Long> ids = requests().expand(expanded.id()).orElseThrow();
    List<Long> keptIds = requests().expand(kept.id()).orElseThrow();

    assertThat(requests().delete(staged.id(), now())).isTrue();
    assertThat(requests().delete(expanded.id(), now())).isTrue();

    List<String> refs = drain().stream().map(Job::ref).toList();
    assertThat(refs)
        .doesNotContain(staged.id().toString(), expanded.id().toString())
        .doesNotContainAnyElementsOf(ids.stream().map(String::valueOf).toList())
        .containsExactlyElementsOf(keptIds.stream().map(String::valueOf).toList());
    List<String> open = new ArrayList<>();
    String cursor = null;
    do {
      Page page = outbox().openWork(cursor, 100);
      page.jobs().forEach(j -> open.add(j.ref()));
      cursor = page.next();
    } while (cursor != null);
    assertThat(open)
        .as("nothing of theirs is open work")
        .doesNotContain(staged.id().toString(), expanded.id().toString())
        .doesNotContainAnyElementsOf(ids.stream().map(String::valueOf).toList())
        .contains(String.valueOf(keptIds.getFirst()));
  }

  @Test
  void stagingRecordsTheIntakeJob() {
    NewRequest request = request(null, "http://a.test/1.jpg");
    requests().stage(request);

    List<Job> jobs = drain();
    assertThat(describe(jobs)).containsExactly("INTAKE " + request.id() + " 0");
    assertThat(jobs.getFirst().runAt()).isEqualTo(now());
    assertThat(drain()).as("relayed entries are gone").isEmpty();
  }

  @Test
  void expandingRecordsOneImageJobPerImageRankedByPosition() {
    NewRequest request = request(null, "http://a.test/1.jpg", "http://a.test/2.jpg");
    requests().stage(request);
    drain();

    List<Long> ids = requests().expand(request.id()).orElseThrow();

    assertThat(describe(drain()))
        .containsExactly("IMAGE " + ids.get(0) + " 0", "IMAGE " + ids.get(1) + " 1");
    requests().expand(request.id());
    assertThat(drain()).as("a repeated expansion records nothing").isEmpty();
  }

  @Test
  void finishingARequestWithAWebhookRecordsItsWebhookJobOnce() {
    NewRequest request =
        request("http://hook.test/x", "http://a.test/1.jpg", "http://a.test/2.jpg");
    requests().stage(request);
    List<Long> ids = requests().expand(request.id()).orElseThrow();
    drain();
    transitions().startAll(ids.stream().map(id -> new Start(id, "w")).toList());

    transitions().record(List.of(new Completion(ids.get(0), "w", "p", 1, 1)));
    assertThat(drain()).as("not finished yet").isEmpty();
    transitions().record(List.of(new Failure(ids.get(1), "w", "broken")));

    assertThat(describe(drain())).containsExactly("WEBHOOK " + request.id() + " 0");
    transitions().record(List.of(new Failure(ids.get(1), "w", "again")));
    assertThat(drain()).isEmpty();
  }

  @Test
  void finishingARequestWithoutAWebhookRecordsNothing() {
    NewRequest request = request(null, "http://a.test/1.jpg");
    requests().stage(request);
    long id = requests().expand(request.id()).orElseThrow().getFirst();
    drain();
    transitions().start(id, "w");

    transitions().complete(id, "w", "p", 1, 1);

    assertThat(drain()).isEmpty();
  }

  @Test
  void failingAStagedRequestRecordsItsWebhookJob() {
    NewRequest request = request("http://hook.test/x", "http://a.test/1.jpg");
    requests().stage(request);
    drain();

    requests().failStaged(request.id(), "cannot be stored");

    assertThat(describe(drain())).containsExactly("WEBHOOK " + request.id() + " 0");
  }

  @Test
  void aTakenEntryGoesToNobodyElseUntilItsLeaseRunsOut() {
    NewRequest request = request(null, "http://a.test/1.jpg");
    requests().stage(request);

    List<Entry> taken = outbox().take(10, LEASE);
    assertThat(taken).hasSize(1);
    assertThat(outbox().take(10, LEASE)).isEmpty();

    advance(LEASE.plusSeconds(1));
    List<Entry> again = outbox().take(10, LEASE);
    assertThat(again).hasSize(1);
    assertThat(again.getFirst().jobs()).isEqualTo(taken.getFirst().jobs());
  }

  @Test
  void takesOldestFirstUpToTheLimit() {
    NewRequest first = request(null, "http://a.test/1.jpg");
    NewRequest second = request(null, "http://a.test/2.jpg");
    requests().stage(first);
    advance(Duration.ofSeconds(1));
    requests().stage(second);

    List<Entry> one = outbox().take(1, LEASE);
    assertThat(one).hasSize(1);
    assertThat(one.getFirst().jobs().getFirst().ref()).isEqualTo(first.id().toString());
  }

  @Test
  void openWorkIsEveryJobTheStateStillNeedsPageByPage() {
    NewRequest staged = request(null, "http://a.test/s.jpg");
    requests().stage(staged);
    NewRequest running =
        request(
            "http://hook.test/r", "http://a.test/1.jpg", "http://a.test/2.jpg", "http://a.test/3");
    requests().stage(running);
    List<Long> ids = requests().expand(running.id()).orElseThrow();
    transitions().start(ids.get(0), "w");
    transitions().complete(ids.get(0), "w", "p", 1, 1);
    transitions().start(ids.get(1), "w"); // processing: still open
    NewRequest hooked = request("http://hook.test/h", "http://a.test/h.jpg");
    requests().stage(hooked);
    long hookedImage = requests().expand(hooked.id()).orElseThrow().getFirst();
    transitions().start(hookedImage, "w");
    transitions().fail(hookedImage, "w", "broken");
    NewRequest done = request(null, "http://a.test/d.jpg");
    requests().stage(done);
    long doneImage = requests().expand(done.id()).orElseThrow().getFirst();
    transitions().start(doneImage, "w");
    transitions().complete(doneImage, "w", "p", 1, 1);

    List<Job> open = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Page page = outbox().openWork(cursor, 1);
      open.addAll(page.jobs());
      cursor = page.next();
      pages++;
    } while (cursor != null && pages < 20);

    assertThat(describe(open))
        .containsExactlyInAnyOrder(
            "INTAKE " + staged.id() + " 0",
            "IMAGE " + ids.get(1) + " 1",
            "IMAGE " + ids.get(2) + " 2",
            "WEBHOOK " + hooked.id() + " 0");
    assertThat(open).allMatch(j -> !j.runAt().isAfter(now()));
    assertThat(open.stream().filter(j -> j.kind() == JobKind.IMAGE)).hasSize(2);
  }
}
