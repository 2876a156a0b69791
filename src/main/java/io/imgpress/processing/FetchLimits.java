package io.imgpress.processing;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Caps the downloads in flight, globally and per host, and holds back a host that asked us to come
 * back later ({@code Retry-After}).
 *
 * <p>A caller takes its host's slot first and a global slot second, so the waiters of one busy host
 * queue on that host and never sit on global slots: a host with a thousand queued downloads holds
 * at most {@code maxConcurrentPerHost} global slots and every other host keeps the rest. Both
 * queues are first come, first served.
 *
 * <p>Host keys: whatever string the caller passes, trimmed and lower-cased ({@link Locale#ROOT}),
 * with a trailing dot of a fully qualified name dropped; {@link #hostOf(URI)} makes the usual key,
 * {@code host:port} with the scheme's default port filled in, which is also how the HTTP client's
 * connection pool tells routes apart. A host's entry lives only while it has holders, waiters or an
 * unexpired pause, so memory follows the hosts in use, not the hosts ever seen.
 */
final class FetchLimits {

  private final int maxConcurrentPerHost;
  private final Clock clock;
  private final Semaphore global;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private final Map<String, Host> hosts = new HashMap<>();
  // Guarded by lock: the active pauses by their end, so expired ones are found without a scan.
  private final TreeSet<Host> pauses =
      new TreeSet<>(
          Comparator.comparing((Host h) -> h.pausedUntil).thenComparing((Host h) -> h.key));
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger waiting = new AtomicInteger();

  /** Downloads one host may have in flight. */
  int maxConcurrentPerHost() {
    return maxConcurrentPerHost;
  }

  FetchLimits(int maxConcurrent, int maxConcurrentPerHost, Clock clock) {
    if (maxConcurrent < 1 || maxConcurrentPerHost < 1) {
      throw new IllegalArgumentException("limits must be at least 1");
    }
    this.maxConcurrentPerHost = Math.min(maxConcurrentPerHost, maxConcurrent);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.global = new Semaphore(maxConcurrent, true);
  }

  /**
   * The key of a URI's host: lower-case host, a colon and the port (80 or 443 if none is given).
   */
  static String hostOf(URI uri) {
    String host = Objects.requireNonNull(uri.getHost(), "URI has no host");
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
    return key(host) + ":" + port;
  }

  /**
   * Waits for a slot of this host and then for a global one.
   *
   * @throws HostPausedException at once if the host is paused, or as soon as a pause begins while
   *     waiting; nothing is held then
   */
  Permit acquire(String host) throws InterruptedException {
    String key = key(host);
    waiting.incrementAndGet();
    try {
      takeHostSlot(key);
      try {
        global.acquire();
      } catch (InterruptedException e) {
        releaseHostSlot(key);
        throw e;
      }
    } finally {
      waiting.decrementAndGet();
    }
    inFlight.incrementAndGet();
    Permit permit = new Permit(key);
    // A pause that began while we waited for the global slot.
    Optional<Instant> paused = pausedUntil(key);
    if (paused.isPresent()) {
      permit.close();
      throw new HostPausedException(key, paused.get());
    }
    return permit;
  }

  /** Holds the host back until {@code until} (the later one if it is paused already). */
  void pause(String host, Instant until) {
    String key = key(host);
    Objects.requireNonNull(until, "until");
    lock.lock();
    try {
      purgeExpiredPauses();
      if (!until.isAfter(clock.instant())) {
        return;
      }
      Host h = hosts.computeIfAbsent(key, Host::new);
      if (h.pausedUntil != null) {
        if (!until.isAfter(h.pausedUntil)) {
          return;
        }
        pauses.remove(h);
      }
      h.pausedUntil = until;
      pauses.add(h);
      // Those queued for a slot give up now instead of waiting to be turned away.
      for (Waiter w : h.queue) {
        w.pausedUntil = until;
        w.wakeUp.signal();
      }
      h.queue.clear();
    } finally {
      lock.unlock();
    }
  }

  Optional<Instant> pausedUntil(String host) {
    String key = key(host);
    lock.lock();
    try {
      purgeExpiredPauses();
      Host h = hosts.get(key);
      return h == null ? Optional.empty() : Optional.ofNullable(h.pausedUntil);
    } finally {
      lock.unlock();
    }
  }

  /** Threads waiting for a slot of this host. */
  int waiting(String host) {
    String key = key(host);
    lock.lock();
    try {
      Host h = hosts.get(key);
      return h == null ? 0 : h.queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Downloads holding a permit. */
  int inFlight() {
    return inFlight.get();
  }

  /** Threads in {@link #acquire} without a permit yet, for a host slot or a global one. */
  int waiting() {
    return waiting.get();
  }

  int pausedHosts() {
    lock.lock();
    try {
      purgeExpiredPauses();
      return pauses.size();
    } finally {
      lock.unlock();
    }
  }

  /** Entries kept for hosts, for tests: must fall back to zero once nothing is going on. */
  int trackedHosts() {
    lock.lock();
    try {
      purgeExpiredPauses();
      return hosts.size();
    } finally {
      lock.unlock();
    }
  }

  private void takeHostSlot(String key) throws InterruptedException {
    lock.lock();
    try {
      purgeExpiredPauses();
      Host h = hosts.computeIfAbsent(key, Host::new);
      if (h.pausedUntil != null) {
        throw new HostPausedException(key, h.pausedUntil);
      }
      if (h.holders < maxConcurrentPerHost && h.queue.isEmpty()) {
        h.holders++;
        return;
      }
      Waiter me = new Waiter(lock.newCondition());
      h.queue.add(me);
      try {
        while (!me.granted && me.pausedUntil == null) {
          me.wakeUp.await();
        }
      } catch (InterruptedException e) {
        if (me.granted) {
          handOver(h);
        } else {
          h.queue.remove(me);
          removeIfIdle(h);
        }
        throw e;
      }
      if (!me.granted) {
        removeIfIdle(h);
        throw new HostPausedException(key, me.pausedUntil);
      }
    } finally {
      lock.unlock();
    }
  }

  private void releaseHostSlot(String key) {
    lock.lock();
    try {
      Host h = hosts.get(key);
      if (h != null) {
        handOver(h);
      }
    } finally {
      lock.unlock();
    }
  }

  /** A freed slot goes straight to the first waiter, so a newcomer cannot jump the queue. */
  private void handOver(Host h) {
    Waiter next = h.queue.poll();
    if (next != null) {
      next.granted = true;
      next.wakeUp.signal();
    } else {
      h.holders--;
      removeIfIdle(h);
    }
  }

  private void removeIfIdle(Host h) {
    if (h.holders == 0 && h.queue.isEmpty() && h.pausedUntil == null) {
      hosts.remove(h.key);
    }
  }

  private void purgeExpiredPauses() {
    Instant now = clock.instant();
    while (!pauses.isEmpty() && !pauses.first().pausedUntil.isAfter(now)) {
      Host h = pauses.pollFirst();
      h.pausedUntil = null;
      removeIfIdle(h);
    }
  }

  private static String key(String host) {
    String key = Objects.requireNonNull(host, "host").strip().toLowerCase(Locale.ROOT);
    if (key.isEmpty()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    int colon = key.lastIndexOf(':');
    // "example.com.:443" and "example.com." are the same host as without the dot.
    if (colon > 0 && key.charAt(colon - 1) == '.' && key.indexOf(']') < 0) {
      return key.substring(0, colon - 1) + key.substring(colon);
    }
    return key.endsWith(".") && key.length() > 1 ? key.substring(0, key.length() - 1) : key;
  }

  private static final class Host {
    final String key;
    int holders;
    final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    Instant pausedUntil;

    Host(String key) {
      this.key = key;
    }
  }

  private static final class Waiter {
    final Condition wakeUp;
    boolean granted;
    Instant pausedUntil;

    Waiter(Condition wakeUp) {
      this.wakeUp = wakeUp;
    }
  }

  /** A download's right to run; closing it (once or more) frees both its slots. */
  final class Permit implements AutoCloseable {

    private final String host;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private Permit(String host) {
      this.host = host;
    }

    String host() {
      return host;
    }

    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        inFlight.decrementAndGet();
        global.release();
        releaseHostSlot(host);
      }
    }
  }

  /** The host asked us to come back later; nothing was acquired. */
  static final class HostPausedException extends RuntimeException {

    private final transient Instant until;

    HostPausedException(String host, Instant until) {
      super("host " + host + " paused until " + until, null, false, false);
      this.until = until;
    }

    Instant until() {
      return until;
    }
  }
}
