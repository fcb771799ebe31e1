package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.mast.broker.config.AdminConfig;
import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in headless Chromium, as an operator uses it: signs in with the admin token, finds a connected client
 * by searching the clients table, kicks it (the client is disconnected), and watches the message-rate chart move
 * while messages flow. Screenshots are kept in mast-it/target/screenshots.
 */
class DashboardIT {

    static final String TOKEN = "dashboard-token";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension
            .withConfig(c -> c.withAdmin(new AdminConfig(true, "127.0.0.1", 0, TOKEN)));

    static Mqtt5BlockingClient client(String id) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        c.connectWith().cleanStart(true).sessionExpiryInterval(120).send();
        return c;
    }

    @Test
    void signInFindAClientKickItAndWatchTheRateChartMove() throws Exception {
        String url = "http://127.0.0.1:" + broker.broker().adminAddress().orElseThrow().getPort() + "/";
        Mqtt5BlockingClient target = client("dash-target");
        Mqtt5BlockingClient bystander = client("dash-bystander");
        target.subscribeWith().topicFilter("dash/#").qos(MqttQos.AT_LEAST_ONCE).send();
        try (Browser browser = Browser.start(1280, 900)) {
            var driver = browser.driver;
            driver.get(url);
            // a token is required: the sign-in form, and a wrong token is refused
            WebElement token = await().atMost(TIMEOUT).until(() -> driver.findElement(By.id("token")), WebElement::isDisplayed);
            token.sendKeys("wrong");
            driver.findElement(By.id("sign-in")).click();
            await().atMost(TIMEOUT).until(() -> driver.findElement(By.id("login-error")).getText(),
                    t -> t.contains("refused"));
            browser.screenshot("dashboard-sign-in");
            token.clear();
            token.sendKeys(TOKEN);
            driver.findElement(By.id("sign-in")).click();
            await().atMost(TIMEOUT).until(() -> driver.findElement(By.id("overview")).isDisplayed());
            await().atMost(TIMEOUT).until(() -> driver.findElement(By.id("stat-connections")).getText(), "2"::equals);
            assertThat(driver.findElement(By.id("broker")).getText()).contains(System.getProperty("mast.version"));

            // clients: search, find the target in the table, see its details, kick it
            driver.findElement(By.cssSelector("#tabs a[href='#clients']")).click();
            WebElement search = await().atMost(TIMEOUT).until(() -> driver.findElement(By.id("client-search")),
                    WebElement::isDisplayed);
            search.sendKeys("target");
            await().atMost(TIMEOUT).until(() -> rows(driver, "#clients-table tbody tr"),
                    r -> r.size() == 1 && r.get(0).getDomAttribute("data-clientid").equals("dash-target"));
            WebElement row = driver.findElement(By.cssSelector("#clients-table tr[data-clientid='dash-target']"));
            assertThat(row.getText()).contains("yes").contains("127.0.0.1");
            row.findElement(By.cssSelector("a.client-link")).click();
            await().atMost(TIMEOUT).until(() -> driver.findElement(By.id("client-detail")).getText(),
                    t -> t.contains("dash/#") && t.contains("expiry_interval"));
            browser.screenshot("dashboard-clients");
            driver.findElement(By.cssSelector("#clients-table tr[data-clientid='dash-target'] button.kick")).click();
            await().atMost(TIMEOUT).until(() -> target.getState() != MqttClientState.CONNECTED);
            await().atMost(TIMEOUT).until(() -> driver.findElement(
                    By.cssSelector("#clients-table tr[data-clientid='dash-target']")).getText(), t -> t.contains(" no "));
            assertThat(bystander.getState()).isEqualTo(MqttClientState.CONNECTED);

            // overview: messages flow, the rate chart's line rises above zero
            driver.findElement(By.cssSelector("#tabs a[href='#overview']")).click();
            AtomicBoolean stop = new AtomicBoolean();
            Thread publisher = Thread.ofPlatform().daemon().start(() -> {
                long end = System.nanoTime() + TIMEOUT.toNanos();
                for (int i = 0; i < 200_000 && !stop.get() && System.nanoTime() < end; i++) {
                    bystander.publishWith().topic("dash/rate").qos(MqttQos.AT_MOST_ONCE)
                            .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
                    if (i % 50 == 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                    }
                }
            });
            try {
                await().atMost(TIMEOUT).until(() -> Double.parseDouble(
                        driver.findElement(By.id("rate-chart")).getDomAttribute("data-last-in")), v -> v > 10);
                WebElement line = driver.findElement(By.cssSelector("#rate-chart polyline.in"));
                String[] points = line.getDomAttribute("points").split(" ");
                assertThat(points.length).isGreaterThanOrEqualTo(2);
                double lastY = Double.parseDouble(points[points.length - 1].split(",")[1]);
                assertThat(lastY).as("the last point is above the chart's bottom").isLessThan(190);
                await().atMost(TIMEOUT).until(() -> Double.parseDouble(
                        driver.findElement(By.id("stat-in")).getText()), v -> v > 10);
                // a few samples more, so that the screenshot shows the line over time
                await().atMost(TIMEOUT).until(() -> Integer.parseInt(
                        driver.findElement(By.id("rate-chart")).getDomAttribute("data-samples")), n -> n >= 5);
                browser.screenshot("dashboard-overview");
            } finally {
                stop.set(true);
                publisher.join(TIMEOUT.toMillis());
            }

            // the other pages show their lists
            driver.findElement(By.cssSelector("#tabs a[href='#subscriptions']")).click();
            await().atMost(TIMEOUT).until(() -> driver.findElement(By.id("subscriptions-table")).getText(),
                    t -> t.contains("dash-target") && t.contains("dash/#"));
            driver.findElement(By.cssSelector("#tabs a[href='#exhooks']")).click();
            await().atMost(TIMEOUT).until(() -> driver.findElement(By.id("exhooks-meta")).getText(),
                    t -> t.contains("No hook servers"));
        } finally {
            if (bystander.getState() == MqttClientState.CONNECTED) {
                bystander.disconnect();
            }
        }
    }

    private static List<WebElement> rows(org.openqa.selenium.WebDriver driver, String css) {
        return driver.findElements(By.cssSelector(css));
    }
}
