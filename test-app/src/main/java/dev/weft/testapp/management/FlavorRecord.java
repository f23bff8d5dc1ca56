package dev.weft.testapp.management;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A flavor: a name that queues ask for in their {@code _flavor} metadata; the pools that serve it
 * name it in their {@code flavor} (as in Zaqar, the flavor holds no pool list of its own).
 */
@Entity
@Table(name = "weft_flavors")
public class FlavorRecord {
  @Id
  @Column(length = 64)
  private String name;

  /** The project that created it (Zaqar scopes flavors by project), or null. */
  @Column(length = 256)
  private String project;

  @Column(nullable = false)
  private long created;

  protected FlavorRecord() {}

  public FlavorRecord(String name, String project, long created) {
    this.name = name;
    this.project = project;
    this.created = created;
  }

  public String getName() {
    return name;
  }

  public String getProject() {
    return project;
  }

  public long getCreated() {
    return created;
  }
}
