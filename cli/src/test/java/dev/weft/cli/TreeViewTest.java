package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeViewTest {
  @TempDir Path dir;

  @Test
  void zaqarRequestAsTree() throws Exception {
    SampleTraces.copyZaqar(dir);

    CliRunner.Result r =
        CliRunner.run("trace", "show", SampleTraces.ZAQAR_ID, "-c", "file://" + dir, "--tree");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            "Trace 11111111-1111-1111-1111-111111111111: 3 spans, 1 error, 40 ms total\n"
                + "Self time 40 ms: entry 43 % · app 57 %\n"
                + "Critical path 40 ms (spans marked *): entry 43 % · app 57 %\n"
                + "\n"
                + "  SPAN                                                  SERVICE      "
                + " HOST     START  DURATION   SELF\n"
                + "* wsgi POST /v2/queues/q1/messages                      Zaqar-server "
                + " node-1   +0 ms     40 ms  17 ms\n"
                + "* ├─ mongodb_message_controller MessageController.post  Zaqar-server "
                + " node-1   +5 ms     12 ms  12 ms\n"
                + "* └─ mongodb_message_controller MessageController.get   Zaqar-server "
                + " node-1  +20 ms     11 ms  11 ms  ERROR KeyError: 'nope'\n");
  }

  @Test
  void fourLevelTraceWithSubMillisecondTimes() {
    SampleTraces.shop().writeTo(dir);

    CliRunner.Result r =
        CliRunner.run("trace", "show", SampleTraces.SHOP_ID, "-c", "file://" + dir, "--tree");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out())
        .isEqualTo(
            "Trace 5d0b2c1e-8f3a-4e6b-9c2d-7a1e0f4b3c21: 15 spans, 1 error, 52.31 ms total\n"
                + "Self time 52.31 ms: SQL 19 % · Redis 3 % · MongoDB 22 % · HTTP out 6 %"
                + " · entry 9 % · app 41 %\n"
                + "Critical path 52.31 ms (spans marked *): SQL 19 % · Redis 3 % · MongoDB"
                + " 22 % · HTTP out 6 % · entry 9 % · app 41 %\n"
                + "\n"
                + "  SPAN                                   SERVICE     HOST         "
                + " START   DURATION       SELF\n"
                + "* wsgi POST /v2/queues/orders/messages   queues-api  api-1         +0"
                + " ms   52.31 ms   2.422 ms\n"
                + "* ├─ pool.select                         queues-api  api-1      +0.31"
                + " ms   0.432 ms   0.432 ms\n"
                + "* ├─ pool.checkout                       queues-api  api-1     +0.805"
                + " ms   1.315 ms   1.315 ms\n"
                + "* ├─ db SELECT queues                    queues-api  api-1     +2.205"
                + " ms   3.845 ms   3.845 ms\n"
                + "* ├─ redis GET queue:orders:meta         queues-api  api-1       +6.3"
                + " ms   0.412 ms   0.412 ms\n"
                + "* └─ MessageService.post                 queues-api  api-1      +7.02"
                + " ms  43.884 ms   2.464 ms\n"
                + "*    ├─ pool.checkout                    queues-api  api-1       +7.1"
                + " ms    0.85 ms    0.85 ms\n"
                + "*    ├─ mongodb insert messages          queues-api  api-1      +8.05"
                + " ms   11.35 ms   11.35 ms\n"
                + "*    ├─ redis INCR queue:orders:count    queues-api  api-1      +19.6"
                + " ms    0.53 ms    0.53 ms\n"
                + "*    ├─ db UPDATE queues                 queues-api  api-1      +20.4"
                + " ms    5.21 ms    5.21 ms\n"
                + "*    └─ http POST subscriber/v1/notify   queues-api  api-1        +26"
                + " ms   23.48 ms    3.07 ms\n"
                + "*       └─ wsgi POST /v1/notify          subscriber  worker-2  +28.41"
                + " ms   20.41 ms   2.505 ms\n"
                + "*          ├─ redis LPUSH notify:orders  subscriber  worker-2  +30.02"
                + " ms   0.635 ms   0.635 ms\n"
                + "*          ├─ Notifier.deliver           subscriber  worker-2     +31"
                + " ms  16.515 ms  16.515 ms\n"
                + "*          └─ db INSERT deliveries       subscriber  worker-2  +47.64"
                + " ms   0.755 ms   0.755 ms  ERROR"
                + " JdbcSQLIntegrityConstraintViolationException: Unique index or primary"
                + " key violation: \"PRIMARY KEY ON PUBLIC.DELIVERIES(MESSAGE_ID)\"\n");
  }

  @Test
  void controlCharactersCannotReachTheTerminalAndUnfinishedSpansAreMarked() {
    new SampleTraces.Builder("t-1")
        .span("s-1", "t-1", "evil\u001b[2Jname", "svc\nx", "h", 0, -1, SampleTraces.map(), null)
        .writeTo(dir);

    CliRunner.Result r = CliRunner.run("trace", "show", "t-1", "-c", "file://" + dir, "--tree");

    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out())
        .isEqualTo(
            "Trace t-1: 1 span, 0 ms total\n"
                + "Self time 0 ms: none\n"
                + "Critical path 0 ms (spans marked *): none\n"
                + "\n"
                + "  SPAN               SERVICE     HOST  START  DURATION  SELF\n"
                + "* evil\\u001b[2Jname  svc\\u000ax  h     +0 ms         -     -  (no stop"
                + " event)\n");
  }
}
