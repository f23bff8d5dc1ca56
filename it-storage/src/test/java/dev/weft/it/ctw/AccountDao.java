package dev.weft.it.ctw;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Plain JDBC in application code: its calls are woven at compile time by {@link AppJdbc}. */
public class AccountDao implements AutoCloseable {
  private final Connection connection;

  public AccountDao(String url) throws SQLException {
    connection = DriverManager.getConnection(url, "sa", "");
    try (Statement s = connection.createStatement()) {
      s.execute(
          "create table if not exists ctw_account (id bigint primary key, owner varchar(64))");
    }
  }

  public int insert(long id, String owner) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("insert into ctw_account (id, owner) values (?, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, owner);
      return ps.executeUpdate();
    }
  }

  public int countOwnedBy(String owner) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*) from ctw_account where owner = '"
                    + owner.replace("'", "''")
                    + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
