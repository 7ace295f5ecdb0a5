namespace SocketCluster.Client;

/// <summary>The client socket's connection state (official 'connecting', 'open', 'closed').</summary>
public enum ConnectionState { Closed, Connecting, Open }

/// <summary>The client's authentication state (official 'unauthenticated', 'authenticated').</summary>
public enum AuthState { Unauthenticated, Authenticated }

/// <summary>A channel's state (official 'pending', 'subscribed', 'unsubscribed').</summary>
public enum ChannelState { Unsubscribed, Pending, Subscribed }
