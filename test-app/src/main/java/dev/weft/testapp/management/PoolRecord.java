package dev.weft.testapp.management;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A registered pool: where the messages of the queues mapped to it live, and its weight. */
@Entity
@Table(name = "weft_pools")
public class PoolRecord {
  @Id
  @Column(length = 64)
  private String name;

  @Column(nullable = false, length = 1024)
  private String uri;

  @Column(nullable = false)
  private int weight;

  @Column(nullable = false)
  private long created;

  /** The flavor the pool serves, or null: the pool takes the queues created without a flavor. */
  @Column(length = 64)
  private String flavor;

  /** The pool's options (a JSON object), or null. */
  @Column(length = 65536)
  private String options;

  protected PoolRecord() {}

  public PoolRecord(String name, String uri, int weight, long created) {
    this(name, uri, weight, created, null, null);
  }

  public PoolRecord(
      String name, String uri, int weight, long created, String flavor, String options) {
    this.name = name;
    this.uri = uri;
    this.weight = weight;
    this.created = created;
    this.flavor = flavor;
    this.options = options;
  }

  public String getName() {
    return name;
  }

  public String getUri() {
    return uri;
  }

  public int getWeight() {
    return weight;
  }

  public long getCreated() {
    return created;
  }

  public String getFlavor() {
    return flavor;
  }

  /** The options as JSON text ({@code {}} when none were given). */
  public String getOptions() {
    return options == null ? "{}" : options;
  }

  void update(String uri, int weight) {
    this.uri = uri;
    this.weight = weight;
  }

  void uri(String uri) {
    this.uri = uri;
  }

  void weight(int weight) {
    this.weight = weight;
  }

  void flavor(String flavor) {
    this.flavor = flavor;
  }

  void options(String options) {
    this.options = options;
  }

  @Override
  public String toString() {
    return name;
  }
}
