package io.mast.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The MQTT 5.0 properties of a packet (specification section 2.2.2), one typed component per property.
 * Absent properties are {@code null} (lists are empty); {@link #EMPTY} is shared by every packet that has
 * none, which is every packet of MQTT 3.1.1. Which properties a packet may carry is checked by the decoder
 * (see {@link PropertyId}); the record itself holds any combination.
 *
 * <p>Binary values ({@code correlationData}, {@code authenticationData}) are not copied: treat them as
 * read-only. {@code equals} compares their contents.
 */
public record MqttProperties(
        Integer payloadFormatIndicator,
        Long messageExpiryInterval,
        String contentType,
        String responseTopic,
        byte[] correlationData,
        List<Integer> subscriptionIdentifiers,
        Long sessionExpiryInterval,
        String assignedClientIdentifier,
        Integer serverKeepAlive,
        String authenticationMethod,
        byte[] authenticationData,
        Boolean requestProblemInformation,
        Long willDelayInterval,
        Boolean requestResponseInformation,
        String responseInformation,
        String serverReference,
        String reasonString,
        Integer receiveMaximum,
        Integer topicAliasMaximum,
        Integer topicAlias,
        Qos maximumQos,
        Boolean retainAvailable,
        List<UserProperty> userProperties,
        Long maximumPacketSize,
        Boolean wildcardSubscriptionAvailable,
        Boolean subscriptionIdentifierAvailable,
        Boolean sharedSubscriptionAvailable) {

    /** No properties. */
    public static final MqttProperties EMPTY = builder().build();

    public MqttProperties {
        subscriptionIdentifiers = subscriptionIdentifiers == null ? List.of() : List.copyOf(subscriptionIdentifiers);
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }

    /** True when no property is set. */
    public boolean isEmpty() {
        return this == EMPTY || equals(EMPTY);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these properties, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof MqttProperties p
                && Objects.equals(payloadFormatIndicator, p.payloadFormatIndicator)
                && Objects.equals(messageExpiryInterval, p.messageExpiryInterval)
                && Objects.equals(contentType, p.contentType)
                && Objects.equals(responseTopic, p.responseTopic)
                && Arrays.equals(correlationData, p.correlationData)
                && subscriptionIdentifiers.equals(p.subscriptionIdentifiers)
                && Objects.equals(sessionExpiryInterval, p.sessionExpiryInterval)
                && Objects.equals(assignedClientIdentifier, p.assignedClientIdentifier)
                && Objects.equals(serverKeepAlive, p.serverKeepAlive)
                && Objects.equals(authenticationMethod, p.authenticationMethod)
                && Arrays.equals(authenticationData, p.authenticationData)
                && Objects.equals(requestProblemInformation, p.requestProblemInformation)
                && Objects.equals(willDelayInterval, p.willDelayInterval)
                && Objects.equals(requestResponseInformation, p.requestResponseInformation)
                && Objects.equals(responseInformation, p.responseInformation)
                && Objects.equals(serverReference, p.serverReference)
                && Objects.equals(reasonString, p.reasonString)
                && Objects.equals(receiveMaximum, p.receiveMaximum)
                && Objects.equals(topicAliasMaximum, p.topicAliasMaximum)
                && Objects.equals(topicAlias, p.topicAlias)
                && maximumQos == p.maximumQos
                && Objects.equals(retainAvailable, p.retainAvailable)
                && userProperties.equals(p.userProperties)
                && Objects.equals(maximumPacketSize, p.maximumPacketSize)
                && Objects.equals(wildcardSubscriptionAvailable, p.wildcardSubscriptionAvailable)
                && Objects.equals(subscriptionIdentifierAvailable, p.subscriptionIdentifierAvailable)
                && Objects.equals(sharedSubscriptionAvailable, p.sharedSubscriptionAvailable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(payloadFormatIndicator, messageExpiryInterval, contentType, responseTopic,
                Arrays.hashCode(correlationData), subscriptionIdentifiers, sessionExpiryInterval,
                assignedClientIdentifier, serverKeepAlive, authenticationMethod, Arrays.hashCode(authenticationData),
                requestProblemInformation, willDelayInterval, requestResponseInformation, responseInformation,
                serverReference, reasonString, receiveMaximum, topicAliasMaximum, topicAlias, maximumQos,
                retainAvailable, userProperties, maximumPacketSize, wildcardSubscriptionAvailable,
                subscriptionIdentifierAvailable, sharedSubscriptionAvailable);
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "{}";
        }
        StringBuilder sb = new StringBuilder("{");
        append(sb, "payloadFormatIndicator", payloadFormatIndicator);
        append(sb, "messageExpiryInterval", messageExpiryInterval);
        append(sb, "contentType", contentType);
        append(sb, "responseTopic", responseTopic);
        append(sb, "correlationData", correlationData == null ? null : correlationData.length + " bytes");
        append(sb, "subscriptionIdentifiers", subscriptionIdentifiers.isEmpty() ? null : subscriptionIdentifiers);
        append(sb, "sessionExpiryInterval", sessionExpiryInterval);
        append(sb, "assignedClientIdentifier", assignedClientIdentifier);
        append(sb, "serverKeepAlive", serverKeepAlive);
        append(sb, "authenticationMethod", authenticationMethod);
        append(sb, "authenticationData", authenticationData == null ? null : authenticationData.length + " bytes");
        append(sb, "requestProblemInformation", requestProblemInformation);
        append(sb, "willDelayInterval", willDelayInterval);
        append(sb, "requestResponseInformation", requestResponseInformation);
        append(sb, "responseInformation", responseInformation);
        append(sb, "serverReference", serverReference);
        append(sb, "reasonString", reasonString);
        append(sb, "receiveMaximum", receiveMaximum);
        append(sb, "topicAliasMaximum", topicAliasMaximum);
        append(sb, "topicAlias", topicAlias);
        append(sb, "maximumQos", maximumQos);
        append(sb, "retainAvailable", retainAvailable);
        append(sb, "userProperties", userProperties.isEmpty() ? null : userProperties);
        append(sb, "maximumPacketSize", maximumPacketSize);
        append(sb, "wildcardSubscriptionAvailable", wildcardSubscriptionAvailable);
        append(sb, "subscriptionIdentifierAvailable", subscriptionIdentifierAvailable);
        append(sb, "sharedSubscriptionAvailable", sharedSubscriptionAvailable);
        return sb.append('}').toString();
    }

    private static void append(StringBuilder sb, String name, Object value) {
        if (value != null) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(name).append('=').append(value);
        }
    }

    /** Builds {@link MqttProperties}; every setter accepts {@code null} to clear the property. */
    public static final class Builder {
        private Integer payloadFormatIndicator;
        private Long messageExpiryInterval;
        private String contentType;
        private String responseTopic;
        private byte[] correlationData;
        private final List<Integer> subscriptionIdentifiers = new ArrayList<>(1);
        private Long sessionExpiryInterval;
        private String assignedClientIdentifier;
        private Integer serverKeepAlive;
        private String authenticationMethod;
        private byte[] authenticationData;
        private Boolean requestProblemInformation;
        private Long willDelayInterval;
        private Boolean requestResponseInformation;
        private String responseInformation;
        private String serverReference;
        private String reasonString;
        private Integer receiveMaximum;
        private Integer topicAliasMaximum;
        private Integer topicAlias;
        private Qos maximumQos;
        private Boolean retainAvailable;
        private final List<UserProperty> userProperties = new ArrayList<>(0);
        private Long maximumPacketSize;
        private Boolean wildcardSubscriptionAvailable;
        private Boolean subscriptionIdentifierAvailable;
        private Boolean sharedSubscriptionAvailable;

        private Builder() {
        }

        private Builder(MqttProperties p) {
            payloadFormatIndicator = p.payloadFormatIndicator;
            messageExpiryInterval = p.messageExpiryInterval;
            contentType = p.contentType;
            responseTopic = p.responseTopic;
            correlationData = p.correlationData;
            subscriptionIdentifiers.addAll(p.subscriptionIdentifiers);
            sessionExpiryInterval = p.sessionExpiryInterval;
            assignedClientIdentifier = p.assignedClientIdentifier;
            serverKeepAlive = p.serverKeepAlive;
            authenticationMethod = p.authenticationMethod;
            authenticationData = p.authenticationData;
            requestProblemInformation = p.requestProblemInformation;
            willDelayInterval = p.willDelayInterval;
            requestResponseInformation = p.requestResponseInformation;
            responseInformation = p.responseInformation;
            serverReference = p.serverReference;
            reasonString = p.reasonString;
            receiveMaximum = p.receiveMaximum;
            topicAliasMaximum = p.topicAliasMaximum;
            topicAlias = p.topicAlias;
            maximumQos = p.maximumQos;
            retainAvailable = p.retainAvailable;
            userProperties.addAll(p.userProperties);
            maximumPacketSize = p.maximumPacketSize;
            wildcardSubscriptionAvailable = p.wildcardSubscriptionAvailable;
            subscriptionIdentifierAvailable = p.subscriptionIdentifierAvailable;
            sharedSubscriptionAvailable = p.sharedSubscriptionAvailable;
        }

        public Builder payloadFormatIndicator(Integer v) { payloadFormatIndicator = v; return this; }
        public Builder messageExpiryInterval(Long v) { messageExpiryInterval = v; return this; }
        public Builder contentType(String v) { contentType = v; return this; }
        public Builder responseTopic(String v) { responseTopic = v; return this; }
        public Builder correlationData(byte[] v) { correlationData = v; return this; }
        public Builder addSubscriptionIdentifier(int v) { subscriptionIdentifiers.add(v); return this; }
        public Builder subscriptionIdentifiers(List<Integer> v) {
            subscriptionIdentifiers.clear();
            if (v != null) {
                subscriptionIdentifiers.addAll(v);
            }
            return this;
        }
        public Builder sessionExpiryInterval(Long v) { sessionExpiryInterval = v; return this; }
        public Builder assignedClientIdentifier(String v) { assignedClientIdentifier = v; return this; }
        public Builder serverKeepAlive(Integer v) { serverKeepAlive = v; return this; }
        public Builder authenticationMethod(String v) { authenticationMethod = v; return this; }
        public Builder authenticationData(byte[] v) { authenticationData = v; return this; }
        public Builder requestProblemInformation(Boolean v) { requestProblemInformation = v; return this; }
        public Builder willDelayInterval(Long v) { willDelayInterval = v; return this; }
        public Builder requestResponseInformation(Boolean v) { requestResponseInformation = v; return this; }
        public Builder responseInformation(String v) { responseInformation = v; return this; }
        public Builder serverReference(String v) { serverReference = v; return this; }
        public Builder reasonString(String v) { reasonString = v; return this; }
        public Builder receiveMaximum(Integer v) { receiveMaximum = v; return this; }
        public Builder topicAliasMaximum(Integer v) { topicAliasMaximum = v; return this; }
        public Builder topicAlias(Integer v) { topicAlias = v; return this; }
        public Builder maximumQos(Qos v) { maximumQos = v; return this; }
        public Builder retainAvailable(Boolean v) { retainAvailable = v; return this; }
        public Builder addUserProperty(String name, String value) { userProperties.add(new UserProperty(name, value)); return this; }
        public Builder userProperties(List<UserProperty> v) {
            userProperties.clear();
            if (v != null) {
                userProperties.addAll(v);
            }
            return this;
        }
        public Builder maximumPacketSize(Long v) { maximumPacketSize = v; return this; }
        public Builder wildcardSubscriptionAvailable(Boolean v) { wildcardSubscriptionAvailable = v; return this; }
        public Builder subscriptionIdentifierAvailable(Boolean v) { subscriptionIdentifierAvailable = v; return this; }
        public Builder sharedSubscriptionAvailable(Boolean v) { sharedSubscriptionAvailable = v; return this; }

        public MqttProperties build() {
            MqttProperties p = new MqttProperties(payloadFormatIndicator, messageExpiryInterval, contentType,
                    responseTopic, correlationData, subscriptionIdentifiers, sessionExpiryInterval,
                    assignedClientIdentifier, serverKeepAlive, authenticationMethod, authenticationData,
                    requestProblemInformation, willDelayInterval, requestResponseInformation, responseInformation,
                    serverReference, reasonString, receiveMaximum, topicAliasMaximum, topicAlias, maximumQos,
                    retainAvailable, userProperties, maximumPacketSize, wildcardSubscriptionAvailable,
                    subscriptionIdentifierAvailable, sharedSubscriptionAvailable);
            return EMPTY != null && p.equals(EMPTY) ? EMPTY : p;
        }
    }
}
