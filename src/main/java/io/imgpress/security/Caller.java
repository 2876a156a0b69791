package io.imgpress.security;

/**
 * Who made an HTTP call, as the API-key filter resolved it: the owner of the key presented, or
 * {@link #OPEN} when no keys are configured and the service serves one trusted user. Controllers
 * receive it as a parameter and hand only the owner's name on, so nothing past the web layer knows
 * of headers or keys.
 *
 * @param owner the key's owner; null for {@link #OPEN}
 */
public record Caller(String owner) {

  /** The one trusted user of a service without keys: sees every request, has no owner. */
  public static final Caller OPEN = new Caller(null);

  /** The request attribute under which the filter leaves the caller of an authenticated call. */
  public static final String ATTRIBUTE = Caller.class.getName();

  /**
   * Whether this caller may see a request of {@code requestOwner}: its owner only, or anyone in
   * open mode. A request made without keys (no owner) is seen by no key holder.
   */
  public boolean maySee(String requestOwner) {
    return owner == null || owner.equals(requestOwner);
  }
}
