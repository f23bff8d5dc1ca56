package dev.weft.testapp.management;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A queue: its catalog entry (the pool it maps to) and its metadata (a JSON object). */
@Entity
@Table(name = "weft_queues")
public class QueueRecord {
  @Id
  @Column(length = 64)
  private String name;

  @Column(nullable = false, length = 64)
  private String pool;

  @Column(nullable = false, length = 65536)
  private String metadata;

  @Column(nullable = false)
  private long created;

  protected QueueRecord() {}

  public QueueRecord(String name, String pool, String metadata, long created) {
    this.name = name;
    this.pool = pool;
    this.metadata = metadata;
    this.created = created;
  }

  public String getName() {
    return name;
  }

  public String getPool() {
    return pool;
  }

  public String getMetadata() {
    return metadata;
  }

  public long getCreated() {
    return created;
  }

  void metadata(String metadata) {
    this.metadata = metadata;
  }
}
