import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Runs DynamoDB Local with the jar's own arguments, but listening on 127.0.0.1 only: the jar has
 * no bind-address option, and the Jetty server it builds (`new Server(port)`) binds every
 * interface. Also exits when its standard input closes, so it dies with the process that started
 * it even when that process is killed outright. Compiled and run by local/emulators.ts.
 */
final class DynamoDbLocalLoopback {
  public static void main(String[] args) throws Exception {
    Thread lifeline = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // Nothing is ever sent; end of input means the parent is gone.
        }
      } catch (java.io.IOException gone) {
        // Same meaning.
      }
      System.exit(0);
    }, "parent-lifeline");
    lifeline.setDaemon(true);
    lifeline.start();

    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    proxy.start();
    // On a bind failure DynamoDB Local prints why and returns instead of throwing.
    if (!server.isStarted()) System.exit(1);
    // The parent waits for this line: proof that this process, not another, serves the port.
    System.out.println("listening on 127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
  }
}
