package dev.weft.it.storage;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.Table;

/** A test entity with an assigned id, so statements are the same on every run. */
@Entity
@Table(name = "weft_account")
public class Account {
  @Id private Long id;
  private String owner;
  private String secret;

  protected Account() {}

  /** An owner named {@value #HOSTILE} makes persisting fail with {@link HostileException#ONE}. */
  static final String HOSTILE = "hostile";

  @PrePersist
  void refuseHostile() {
    if (HOSTILE.equals(owner)) {
      throw HostileException.ONE;
    }
  }

  Account(long id, String owner, String secret) {
    this.id = id;
    this.owner = owner;
    this.secret = secret;
  }

  String owner() {
    return owner;
  }

  String secret() {
    return secret;
  }
}
