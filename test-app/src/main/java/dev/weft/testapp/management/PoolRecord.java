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

  protected PoolRecord() {}

  public PoolRecord(String name, String uri, int weight, long created) {
    this.name = name;
    this.uri = uri;
    this.weight = weight;
    this.created = created;
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

  void update(String uri, int weight) {
    this.uri = uri;
    this.weight = weight;
  }

  @Override
  public String toString() {
    return name;
  }
}
