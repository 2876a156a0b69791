package io.imgpress.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server of bare sockets, for test servers that misbehave in ways an HTTP library will
 * not (lie about lengths, cut connections, never answer): each accepted connection is handed to the
 * handler on a virtual thread of its own and closed after it; closing the server closes every
 * connection and interrupts the handlers.
 */
final class RawSocketServer implements AutoCloseable {

  /** What the server does with one accepted connection. */
  interface Handler {
    void serve(Socket socket) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final List<Thread> workers = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Thread acceptor;

  RawSocketServer(Handler handler) {
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    acceptor = Thread.ofVirtual().start(() -> acceptLoop(handler));
  }

  int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far. */
  int accepted() {
    return accepted.get();
  }

  private void acceptLoop(Handler handler) {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      connections.add(socket);
      Thread worker =
          Thread.ofVirtual()
              .unstarted(
                  () -> {
                    try (socket) {
                      handler.serve(socket);
                    } catch (IOException | InterruptedException e) {
                      // The client hung up, or the server is closing: both are expected here.
                    }
                  });
      workers.add(worker);
      worker.start();
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // nothing left to release
    }
    for (Socket socket : connections) {
      try {
        socket.close();
      } catch (IOException e) {
        // already gone
      }
    }
    acceptor.interrupt();
    workers.forEach(Thread::interrupt);
  }
}
