namespace SocketCluster.Client;

/// <summary>The client socket's connection state (official 'connecting', 'open', 'closed').</summary>
public enum ConnectionState
{
    /// <summary>Official 'closed': not connected.</summary>
    Closed,
    /// <summary>Official 'connecting': opening the WebSocket or in the handshake.</summary>
    Connecting,
    /// <summary>Official 'open': the handshake completed.</summary>
    Open,
}

/// <summary>The client's authentication state (official 'unauthenticated', 'authenticated').</summary>
public enum AuthState
{
    /// <summary>Official 'unauthenticated': no valid token.</summary>
    Unauthenticated,
    /// <summary>Official 'authenticated': the server accepted a token.</summary>
    Authenticated,
}

/// <summary>A channel's state (official 'pending', 'subscribed', 'unsubscribed').</summary>
public enum ChannelState
{
    /// <summary>Official 'unsubscribed'.</summary>
    Unsubscribed,
    /// <summary>Official 'pending': subscribing, or waiting for a connection to subscribe.</summary>
    Pending,
    /// <summary>Official 'subscribed': the server accepted the subscription.</summary>
    Subscribed,
}
