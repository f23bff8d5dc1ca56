package dev.weft.testapp.management;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/** A subscription: messages posted to {@code queue} are POSTed to the {@code subscriber} URL. */
@Entity
@Table(name = "weft_subscriptions", indexes = @Index(columnList = "queue"))
public class SubscriptionRecord {
  @Id
  @Column(length = 36)
  private String id;

  @Column(nullable = false, length = 64)
  private String queue;

  @Column(nullable = false, length = 2048)
  private String subscriber;

  @Column(nullable = false)
  private int ttl;

  @Column(nullable = false, length = 65536)
  private String options;

  @Column(nullable = false)
  private long created;

  /** Whether the subscriber confirmed the subscription (null, as for older rows: not yet). */
  private Boolean confirmed;

  /** When it expires (epoch ms); null (older rows): {@code created + ttl}. */
  private Long expires;

  protected SubscriptionRecord() {}

  public SubscriptionRecord(
      String id, String queue, String subscriber, int ttl, String options, long created) {
    this.id = id;
    this.queue = queue;
    this.subscriber = subscriber;
    this.ttl = ttl;
    this.options = options;
    this.created = created;
    this.expires = created + ttl * 1000L;
    this.confirmed = false;
  }

  public String getId() {
    return id;
  }

  public String getQueue() {
    return queue;
  }

  public String getSubscriber() {
    return subscriber;
  }

  public int getTtl() {
    return ttl;
  }

  public String getOptions() {
    return options;
  }

  public long getCreated() {
    return created;
  }

  public boolean isConfirmed() {
    return Boolean.TRUE.equals(confirmed);
  }

  void subscriber(String subscriber) {
    this.subscriber = subscriber;
  }

  /** A new ttl, counted from {@code nowMillis} (as Zaqar's update does). */
  void ttl(int ttl, long nowMillis) {
    this.ttl = ttl;
    this.expires = nowMillis + ttl * 1000L;
  }

  void options(String options) {
    this.options = options;
  }

  void confirmed(boolean confirmed) {
    this.confirmed = confirmed;
  }

  /** Whether the subscription has outlived its ttl at {@code nowMillis}. */
  public boolean expiredAt(long nowMillis) {
    return (expires != null ? expires : created + ttl * 1000L) <= nowMillis;
  }
}
