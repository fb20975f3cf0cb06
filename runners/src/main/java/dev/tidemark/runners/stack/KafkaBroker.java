package dev.tidemark.runners.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process), listening on
 * loopback only, keeping every record forever (the Kappa architecture replays the retained log).
 * Its storage is formatted once, on first start.
 */
final class KafkaBroker extends ServerProcess {

  private final StackSettings settings;

  KafkaBroker(StackSettings settings) {
    super(settings.repositoryRoot(), settings.dataDir(), "kafka");
    this.settings = settings;
  }

  @Override
  String endpoint() {
    return settings.kafkaBootstrap();
  }

  @Override
  List<Integer> ports() {
    return List.of(settings.kafkaPort(), settings.controllerPort());
  }

  @Override
  String mainClass() {
    return "kafka.Kafka";
  }

  @Override
  String classpathName() {
    return "kafka";
  }

  @Override
  List<String> jvmOptions() {
    return List.of(
        "-Xmx512m",
        "-Xms128m",
        "-Djava.awt.headless=true",
        "-Dlog4j.configuration=file:" + dir().resolve("log4j.properties"));
  }

  @Override
  List<String> arguments() {
    return List.of(dir().resolve("server.properties").toString());
  }

  @Override
  Duration startTimeout() {
    return Duration.ofSeconds(90);
  }

  @Override
  void prepare(String classpath) throws IOException, InterruptedException {
    Path data = dir().resolve("data");
    String props =
        String.join(
            "\n",
            "# Written by Tidemark's LocalStack on every start; edit StackSettings instead.",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + settings.controllerPort(),
            "listeners=PLAINTEXT://127.0.0.1:"
                + settings.kafkaPort()
                + ",CONTROLLER://127.0.0.1:"
                + settings.controllerPort(),
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + settings.kafkaPort(),
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name=PLAINTEXT",
            "log.dirs=" + data,
            "num.partitions=1",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "min.insync.replicas=1",
            "group.initial.rebalance.delay.ms=0",
            "# Kappa: the log is the source of truth, keep all of it.",
            "log.retention.hours=-1",
            "log.retention.bytes=-1",
            "auto.create.topics.enable=true",
            "");
    Files.writeString(dir().resolve("server.properties"), props);
    Files.writeString(
        dir().resolve("log4j.properties"),
        String.join(
            "\n",
            "log4j.rootLogger=WARN, stdout",
            "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
            "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
            "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
            "log4j.logger.kafka.server.KafkaRaftServer=INFO",
            "log4j.logger.kafka.server.BrokerServer=INFO",
            ""));
    if (!Files.exists(data.resolve("meta.properties"))) {
      Files.createDirectories(data);
      runTool(
          classpath,
          List.of("-Xmx256m", "-Dlog4j.configuration=file:" + dir().resolve("log4j.properties")),
          "kafka.tools.StorageTool",
          List.of(
              "format",
              "-t",
              Uuid.randomUuid().toString(),
              "-c",
              dir().resolve("server.properties").toString()));
    }
  }

  @Override
  Health probe() {
    if (!inUse(settings.kafkaPort())) {
      return new Health(false, "port " + settings.kafkaPort() + " not open");
    }
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "tidemark-stack-probe");
    try (Admin admin = Admin.create(p)) {
      DescribeClusterResult cluster = admin.describeCluster();
      int nodes = cluster.nodes().get(3, TimeUnit.SECONDS).size();
      String id = cluster.clusterId().get(3, TimeUnit.SECONDS);
      int topics = admin.listTopics().names().get(3, TimeUnit.SECONDS).size();
      return new Health(
          nodes > 0, nodes + " broker(s), cluster " + id + ", " + topics + " topic(s)");
    } catch (Exception e) {
      return new Health(false, "no answer: " + e.getClass().getSimpleName());
    }
  }
}
