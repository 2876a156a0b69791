package io.imgpress.db;

import io.imgpress.ImgpressProperties.Store;

/**
 * The SQL dialect of the store's database, for the few statements the JDBC adapters write
 * differently: everything else is the same SQL on both.
 */
public enum Dialect {
  /** The embedded file database, which one process owns. */
  H2,
  /** A server many processes share: claims skip rows others hold, and enqueues notify. */
  POSTGRESQL;

  public static Dialect of(Store store) {
    return switch (store) {
      case H2 -> H2;
      case POSTGRES -> POSTGRESQL;
      case MONGODB -> throw new IllegalStateException("imgpress.store=mongodb has no SQL database");
    };
  }
}
