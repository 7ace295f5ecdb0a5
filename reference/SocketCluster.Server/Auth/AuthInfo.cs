using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Server.Auth;

/// <summary>The outcome of verifying a token (the HANDSHAKE_SC action's data): the token, the error or payload, the state.</summary>
public sealed record AuthInfo(JsonElement? SignedAuthToken, ScError? AuthTokenError, JsonElement? AuthToken, AuthState AuthState);
