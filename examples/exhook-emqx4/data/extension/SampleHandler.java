import io.emqx.extension.handler.ActionOptionConfig;
import io.emqx.extension.handler.ActionOptionConfig.Keys;
import io.emqx.extension.handler.DefaultCommunicationHandler;
import io.emqx.extension.handler.codec.ClientInfo;
import io.emqx.extension.handler.codec.ConnInfo;
import io.emqx.extension.handler.codec.Message;
import io.emqx.extension.handler.codec.Property;
import io.emqx.extension.handler.codec.PubSub;
import io.emqx.extension.handler.codec.Topic;
import java.nio.charset.StandardCharsets;

/**
 * The seed's hooks as a handler for EMQX 4.2's Java extension SDK, the way its SampleHandler is written: a login
 * needs a client id, publishing and subscribing need a user name, every publish is printed. It prints to standard
 * error, as EMQX 4.x required (its driver used standard output); Mast logs each line under the driver's name.
 */
public class SampleHandler extends DefaultCommunicationHandler {

    @Override
    public ActionOptionConfig getActionOption() {
        ActionOptionConfig option = new ActionOptionConfig();
        option.set(Keys.MESSAGE_PUBLISH_TOPICS, "#");
        return option;
    }

    @Override
    public void onClientConnect(ConnInfo connInfo, Property[] props) {
        System.err.printf("[Java] onClientConnect: %s connect%n", connInfo.clientId);
    }

    @Override
    public void onClientConnected(ClientInfo clientInfo) {
        System.err.printf("[Java] onClientConnected: %s connected%n", clientInfo.clientId);
    }

    @Override
    public boolean onClientAuthenticate(ClientInfo clientInfo, boolean authresult) {
        System.err.printf("[Java] onClientAuthenticate: %s authenticate%n", clientInfo.clientId);
        // An empty client id arrives as null: only clients with an id pass.
        return clientInfo.clientId != null;
    }

    @Override
    public boolean onClientCheckAcl(ClientInfo clientInfo, PubSub pubsub, Topic topic, boolean result) {
        System.err.printf("[Java] onClientCheckAcl: %s check ACL: %s %s%n", clientInfo.userName, pubsub.value,
                topic.value);
        // Publishing and subscribing are denied when the user name is empty.
        return clientInfo.userName != null;
    }

    @Override
    public Message onMessagePublish(Message message) {
        System.err.printf("[Java] onMessagePublish: %s %s%n", message.topic,
                new String(message.payload, StandardCharsets.UTF_8));
        return message;
    }
}
