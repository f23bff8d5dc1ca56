package dev.weft.benchmarks;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The entity the SQL benchmarks query. */
@Entity
@Table(name = "bench_account")
public class BenchAccount {
  @Id private Long id;
  private String owner;

  protected BenchAccount() {}

  BenchAccount(long id, String owner) {
    this.id = id;
    this.owner = owner;
  }

  String owner() {
    return owner;
  }
}
