#!/bin/sh
# Build-time (binary) weaving of the test app's drivers, for ServeStartup's ctwWoven row: ajc
# -inpath (what aspectj-maven-plugin's weaveDependencies runs) over the driver classes that the
# shipped aop.xml fragments include, with the same aspects, then a copy of the app jar with those
# classes replaced and the integrations' aspects added. The copy runs without any agent:
#   java -cp test-app/target/weft-test-app-woven.jar dev.weft.testapp.Main serve
# Run from the repository root after `mvn -q -pl test-app -am package -DskipTests`.
set -eu
APP=test-app/target/weft-test-app.jar
AGENT=test-app/target/weft-agent.jar
OUT=test-app/target/weft-test-app-woven.jar
AJ_VERSION=$(sed -n 's:.*<aspectj.version>\(.*\)</aspectj.version>.*:\1:p' pom.xml | head -1)
AJTOOLS=${AJTOOLS:-$HOME/.m2/repository/org/aspectj/aspectjtools/$AJ_VERSION/aspectjtools-$AJ_VERSION.jar}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/in" "$W/out" "$W/inst" "$W/aspects"
# The classes the aop.xml fragments include (aspects/*/src/main/resources/META-INF/aop.xml).
(cd "$W/in" && unzip -q "$OLDPWD/$APP" \
  'jakarta/servlet/http/HttpServlet.class' \
  'org/hibernate/engine/jdbc/spi/SqlStatementLogger.class' \
  'org/hibernate/engine/jdbc/internal/*' \
  'org/hibernate/engine/jdbc/batch/internal/*' \
  'org/hibernate/sql/exec/internal/StandardJdbcMutationExecutor.class' \
  'org/hibernate/sql/results/jdbc/internal/DeferredResultSetAccess.class' \
  'org/hibernate/type/descriptor/jdbc/BasicBinder.class' \
  'org/hibernate/internal/SessionImpl.class' \
  'org/hibernate/engine/transaction/internal/TransactionImpl.class' \
  'org/hibernate/query/spi/AbstractSelectionQuery.class' \
  'org/hibernate/query/spi/AbstractQuery.class' \
  'com/zaxxer/hikari/HikariDataSource.class' \
  'org/apache/commons/pool2/impl/GenericObjectPool.class' \
  'redis/clients/jedis/Connection.class' \
  'com/mongodb/client/internal/*' \
  'com/mongodb/internal/connection/DefaultConnectionPool.class')
# The integrations nested in the agent (weft-servlet is in the app jar already).
(cd "$W/inst" && unzip -q "$OLDPWD/$AGENT" 'weft-inst/*')
ASPECTPATH=$(ls "$W"/inst/weft-inst/*.jar | tr '\n' ':')
java -cp "$AJTOOLS" org.aspectj.tools.ajc.Main -17 -Xlint:ignore -showWeaveInfo \
  -inpath "$W/in" -aspectpath "$ASPECTPATH" -classpath "$APP" -d "$W/out" > "$W/weave.log" 2>&1
echo "join points woven: $(grep -c 'Join point' "$W/weave.log")"
for j in "$W"/inst/weft-inst/*.jar; do
  (cd "$W/aspects" && unzip -qo "$j" 'dev/*')
done
cp "$APP" "$OUT"
(cd "$W/out" && zip -qr "$OLDPWD/$OUT" .)
(cd "$W/aspects" && zip -qr "$OLDPWD/$OUT" .)
echo "$OUT"
