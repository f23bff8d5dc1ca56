package dev.weft.testapp.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Messages in a SQL database through plain JDBC and HikariCP: table {@code weft_messages(id, queue,
 * body, ttl, created, expires, client_id, claim_id, claim_ttl, claim_expires)}, created (or given
 * its claim columns) when missing (H2 or PostgreSQL).
 */
final class SqlMessageStore implements MessageStore {
  private static final String COLUMNS =
      "id, body, ttl, created, expires, client_id, claim_id, claim_ttl, claim_expires";

  private final HikariDataSource ds;

  SqlMessageStore(String jdbcUrl) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(jdbcUrl);
    hc.setPoolName("messages-" + Integer.toHexString(jdbcUrl.hashCode()));
    hc.setMaximumPoolSize(4);
    hc.setMinimumIdle(1);
    hc.setConnectionTimeout(5000);
    this.ds = new HikariDataSource(hc);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS weft_messages (id VARCHAR(36) PRIMARY KEY,"
              + " queue VARCHAR(64) NOT NULL, body VARCHAR(300000) NOT NULL, ttl INT NOT NULL,"
              + " created BIGINT NOT NULL, expires BIGINT NOT NULL)");
      s.execute("ALTER TABLE weft_messages ADD COLUMN IF NOT EXISTS client_id VARCHAR(64)");
      s.execute("ALTER TABLE weft_messages ADD COLUMN IF NOT EXISTS claim_id VARCHAR(36)");
      s.execute("ALTER TABLE weft_messages ADD COLUMN IF NOT EXISTS claim_ttl INT");
      s.execute("ALTER TABLE weft_messages ADD COLUMN IF NOT EXISTS claim_expires BIGINT");
      s.execute("CREATE INDEX IF NOT EXISTS weft_messages_queue ON weft_messages (queue, created)");
    } catch (SQLException e) {
      ds.close();
      throw new IllegalStateException("cannot prepare the message table: " + e.getMessage(), e);
    }
  }

  @Override
  public String kind() {
    return "sql";
  }

  @Override
  public StoredMessage post(String queue, String body, int ttl, String clientId) {
    long now = PostClock.next();
    String id = UUID.randomUUID().toString();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO weft_messages (id, queue, body, ttl, created, expires, client_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, queue);
      ps.setString(3, body);
      ps.setInt(4, ttl);
      ps.setLong(5, now);
      ps.setLong(6, now + ttl * 1000L);
      ps.setString(7, clientId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return new StoredMessage(id, body, ttl, now, clientId);
  }

  private static StoredMessage of(ResultSet rs) throws SQLException {
    return new StoredMessage(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        rs.getLong(4),
        rs.getLong(5),
        rs.getString(6),
        rs.getString(7),
        rs.getInt(8),
        rs.getLong(9));
  }

  @Override
  public List<StoredMessage> scan(
      String queue, long afterMillis, int limit, Predicate<StoredMessage> filter) {
    List<StoredMessage> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + COLUMNS
                    + " FROM weft_messages WHERE queue = ? AND expires > ? AND created > ?"
                    + " ORDER BY created, id")) {
      ps.setString(1, queue);
      ps.setLong(2, System.currentTimeMillis());
      ps.setLong(3, afterMillis);
      ps.setFetchSize(Math.max(limit, 20));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          StoredMessage m = of(rs);
          if (filter.test(m)) {
            out.add(m);
            if (out.size() >= limit) {
              break;
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return out;
  }

  @Override
  public StoredMessage get(String queue, String id) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + COLUMNS
                    + " FROM weft_messages WHERE queue = ? AND id = ? AND expires > ?")) {
      ps.setString(1, queue);
      ps.setString(2, id);
      ps.setLong(3, System.currentTimeMillis());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? of(rs) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public boolean update(String queue, StoredMessage m) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE weft_messages SET ttl = ?, expires = ?, claim_id = ?, claim_ttl = ?,"
                    + " claim_expires = ? WHERE queue = ? AND id = ?")) {
      ps.setInt(1, m.ttl());
      ps.setLong(2, m.expiresMillis());
      if (m.claimId() == null) {
        ps.setNull(3, Types.VARCHAR);
      } else {
        ps.setString(3, m.claimId());
      }
      ps.setInt(4, m.claimTtl());
      ps.setLong(5, m.claimExpiresMillis());
      ps.setString(6, queue);
      ps.setString(7, m.id());
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public boolean delete(String queue, String id) {
    return update("DELETE FROM weft_messages WHERE queue = ? AND id = ?", queue, id) > 0;
  }

  @Override
  public void drop(String queue) {
    update("DELETE FROM weft_messages WHERE queue = ?", queue);
  }

  @Override
  public boolean alive() {
    try (Connection c = ds.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private int update(String sql, String... args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    ds.close();
  }
}
