using System.Text.Json;
using System.Text.Json.Nodes;
using SocketCluster.Protocol;
using SocketCluster.Server.Auth;
using SocketCluster.Server.Middleware;

namespace SocketCluster.Server;

public sealed partial class ServerSocket
{
    private readonly object _authGate = new();
    private AuthState _authState = AuthState.Unauthenticated;
    private JsonElement? _authToken;
    private string? _signedAuthToken;

    public AuthState AuthState
    {
        get { lock (_authGate) return _authState; }
    }

    /// <summary>The decoded token payload (with the iat/exp the signer added), or null.</summary>
    public JsonElement? AuthToken
    {
        get { lock (_authGate) return _authToken; }
    }

    /// <summary>The compact JWT string, or null.</summary>
    public string? SignedAuthToken
    {
        get { lock (_authGate) return _signedAuthToken; }
    }

    /// <summary>
    /// Signs a token for the payload (a JSON object) and sends it to the client as #setAuthToken. The socket is
    /// authenticated before the frame is sent. A signing failure closes the socket with 4002 and rethrows.
    /// </summary>
    public async Task SetAuthTokenAsync(object payload, AuthTokenOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (State == SocketState.Connecting)
        {
            var error = ScErrors.InvalidAction("Cannot call setAuthToken before completing the handshake");
            EmitError(error);
            throw error;
        }
        options ??= new AuthTokenOptions();

        JsonNode? node = payload switch
        {
            JsonNode n => n.DeepClone(),
            JsonElement e => JsonNode.Parse(e.GetRawText()),
            _ => JsonSerializer.SerializeToNode(payload, ScCodec.SerializerOptions),
        };

        AuthState oldAuthState;
        lock (_authGate)
        {
            oldAuthState = _authState;
            _authState = AuthState.Authenticated;
        }

        string signed;
        JsonElement signedPayload;
        try
        {
            if (node is not JsonObject tokenObject)
                throw new ScError("Error", $"invalid expiresIn option for {(node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? "string" : "object")} payload");
            // An exp claim always wins over expiresIn (default or per call).
            long? expiresIn = tokenObject.ContainsKey("exp") ? null : options.ExpiresIn ?? _options.AuthDefaultExpiry;
            lock (_authGate) _authToken = JsonSerializer.SerializeToElement(tokenObject);
            var context = new AuthSignContext(_server.SignatureKey, _server.SigningAlgorithm, expiresIn)
            {
                NotBefore = options.NotBefore, Issuer = options.Issuer, Subject = options.Subject, Audience = options.Audience,
            };
            signed = await _server.AuthEngine.SignTokenAsync(tokenObject, context).ConfigureAwait(false);
            signedPayload = JsonSerializer.SerializeToElement(tokenObject);
        }
        catch (Exception error)
        {
            EmitError(error);
            if (State != SocketState.Closed)
            {
                Destroy(CloseCodes.FailedToSignAuthToken, error.ToString());
                CloseTransport(CloseCodes.FailedToSignAuthToken, "");
            }
            throw;
        }

        lock (_authGate)
        {
            _authToken = signedPayload;
            _signedAuthToken = signed;
        }
        Emit(ServerSocketEvents.AuthTokenSigned, new AuthTokenSignedEvent(signed));
        TriggerAuthenticationEvents(oldAuthState);

        var tokenData = JsonSerializer.SerializeToElement(new JsonObject { ["token"] = signed });
        if (options.RejectOnFailedDelivery)
        {
            try
            {
                await InvokeDataAsync(EventNames.SetAuthToken, tokenData).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                var error = new ScError(ScErrorNames.AuthError, $"Failed to deliver auth token to client - {e.Message}", inner: e);
                EmitError(error);
                throw error;
            }
            return;
        }
        TransmitData(EventNames.SetAuthToken, tokenData);
    }

    /// <summary>Deauthenticates and transmits #removeAuthToken (sent even before the handshake completes).</summary>
    public void Deauthenticate()
    {
        DeauthenticateSelf();
        EnqueueTransmit(EventNames.RemoveAuthToken, null);
    }

    /// <summary>
    /// Deauthenticates; with RejectOnFailedDelivery, #removeAuthToken is sent as a request and a failed delivery
    /// (e.g. BadConnectionError) is rethrown.
    /// </summary>
    public async Task DeauthenticateAsync(DeauthenticateOptions? options = null)
    {
        if (options?.RejectOnFailedDelivery != true)
        {
            Deauthenticate();
            return;
        }
        DeauthenticateSelf();
        try
        {
            await InvokeDataAsync(EventNames.RemoveAuthToken, null).ConfigureAwait(false);
        }
        catch (ScError error)
        {
            EmitError(error);
            throw;
        }
    }

    /// <summary>Clears the auth state without telling the client (the official deauthenticateSelf).</summary>
    private void DeauthenticateSelf()
    {
        AuthState oldAuthState;
        JsonElement? oldAuthToken;
        lock (_authGate)
        {
            oldAuthState = _authState;
            oldAuthToken = _authToken;
            _signedAuthToken = null;
            _authToken = null;
            _authState = AuthState.Unauthenticated;
        }
        if (oldAuthState != AuthState.Unauthenticated)
        {
            Emit(ServerSocketEvents.AuthStateChange, new AuthStateChangeEvent(oldAuthState, AuthState.Unauthenticated, null));
            _server.Emit(ServerEvents.AuthenticationStateChange,
                new AuthenticationStateChangeEvent(this, oldAuthState, AuthState.Unauthenticated, null));
        }
        Emit(ServerSocketEvents.Deauthenticate, new DeauthenticateEvent(oldAuthToken));
        _server.Emit(ServerEvents.Deauthentication, new DeauthenticationEvent(this, oldAuthToken));
    }

    private void TriggerAuthenticationEvents(AuthState oldAuthState)
    {
        var token = AuthToken;
        if (oldAuthState != AuthState.Authenticated)
        {
            var newAuthState = AuthState;
            Emit(ServerSocketEvents.AuthStateChange, new AuthStateChangeEvent(oldAuthState, newAuthState, token));
            _server.Emit(ServerEvents.AuthenticationStateChange, new AuthenticationStateChangeEvent(this, oldAuthState, newAuthState, token));
        }
        Emit(ServerSocketEvents.Authenticate, new AuthenticateEvent(token));
        _server.Emit(ServerEvents.Authentication, new AuthenticationEvent(this, token));
    }

    /// <summary>An #authenticate packet: it must be a request, else the socket closes with 4008.</summary>
    private Task OnAuthenticatePacketAsync(EventPacket packet) =>
        RequireRequest(packet, "Authenticate") is { } request ? ProcessAuthenticateRequestAsync(request) : Task.CompletedTask;

    /// <summary>A client's #removeAuthToken: deauthenticates; never answered, even with a cid. Also a transmit.</summary>
    private async Task OnRemoveAuthTokenPacketAsync(EventPacket packet)
    {
        DeauthenticateSelf();
        await _receivers.WriteAsync(packet.Event, packet.Data, _closedCts.Token).ConfigureAwait(false);
    }

    /// <summary>The official _processAuthenticateRequest (#authenticate always has a cid here).</summary>
    private async Task ProcessAuthenticateRequestAsync(ScRequest request)
    {
        var signedAuthToken = request.Data;
        var oldAuthState = AuthState;
        var authInfo = await ValidateAuthTokenAsync(signedAuthToken).ConfigureAwait(false);
        try
        {
            await ProcessAuthenticationAsync(authInfo).ConfigureAwait(false);
        }
        catch (ScError error)
        {
            if (IsBadToken(error))
            {
                // A bad token: error response, then #removeAuthToken.
                DeauthenticateSelf();
                request.Error(error);
                EnqueueTransmit(EventNames.RemoveAuthToken, null);
                return;
            }
            request.End(new JsonObject
            {
                ["isAuthenticated"] = AuthToken is not null,
                ["authError"] = signedAuthToken is null ? null : JsonNode.Parse(error.Dehydrate().GetRawText()),
            });
            return;
        }
        TriggerAuthenticationEvents(oldAuthState);
        request.End(new JsonObject { ["isAuthenticated"] = AuthToken is not null, ["authError"] = null });
    }

    /// <summary>Verifies a token with the auth engine; failures are mapped to sc-errors (AU-003, AU-004, AU-024).</summary>
    private async Task<AuthInfo> ValidateAuthTokenAsync(JsonElement? signedAuthToken)
    {
        try
        {
            var context = new AuthVerifyContext(_server.VerificationKey, _server.VerifyAlgorithms, this);
            var token = await _server.AuthEngine.VerifyTokenAsync(signedAuthToken, context).ConfigureAwait(false);
            return new AuthInfo(signedAuthToken, null, token, AuthState.Authenticated);
        }
        catch (Exception error)
        {
            return new AuthInfo(signedAuthToken, ProcessTokenError(error), null, AuthState.Unauthenticated);
        }
    }

    /// <summary>The official _processTokenError: the verifier's error name decides the class and isBadToken.</summary>
    internal static ScError ProcessTokenError(Exception error)
    {
        var name = error is ScError sc ? sc.Name : error.GetType().Name;
        var source = error as ScError;
        switch (name)
        {
            case JwtErrorNames.TokenExpiredError:
                return new ScError(ScErrorNames.AuthTokenExpiredError, error.Message, new JsonObject
                {
                    ["expiry"] = source?["expiredAt"]?.DeepClone(),
                    ["isBadToken"] = true,
                });
            case JwtErrorNames.JsonWebTokenError:
                return new ScError(ScErrorNames.AuthTokenInvalidError, error.Message, new JsonObject { ["isBadToken"] = true });
            case JwtErrorNames.NotBeforeError:
                // The token is good, just not active yet.
                return new ScError(ScErrorNames.AuthTokenNotBeforeError, error.Message, new JsonObject
                {
                    ["date"] = source?["date"]?.DeepClone(),
                    ["isBadToken"] = false,
                });
            default:
                return new ScError(ScErrorNames.AuthTokenError, error.Message, new JsonObject { ["isBadToken"] = true });
        }
    }

    /// <summary>Applies a verification result; runs AUTHENTICATE middleware when the token verified.</summary>
    private async Task ProcessAuthenticationAsync(AuthInfo authInfo)
    {
        if (authInfo.AuthTokenError is { } tokenError)
        {
            lock (_authGate)
            {
                _signedAuthToken = null;
                _authToken = null;
                _authState = AuthState.Unauthenticated;
            }
            if (authInfo.SignedAuthToken is not null)
            {
                EmitError(tokenError);
                if (IsBadToken(tokenError)) EmitBadAuthTokenError(tokenError, authInfo.SignedAuthToken);
            }
            throw tokenError;
        }

        var signed = authInfo.SignedAuthToken is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
        lock (_authGate)
        {
            _signedAuthToken = signed;
            _authToken = authInfo.AuthToken;
            _authState = AuthState.Authenticated;
        }

        var action = new MiddlewareAction(ActionTypes.Authenticate) { Socket = this, SignedAuthToken = signed, AuthToken = authInfo.AuthToken };
        try
        {
            await RunMiddlewareAsync(_inboundMiddleware, action).ConfigureAwait(false);
        }
        catch (ActionBlockedException blocked)
        {
            lock (_authGate)
            {
                _signedAuthToken = null;
                _authToken = null;
                _authState = AuthState.Unauthenticated;
            }
            var error = ToScError(blocked.ClientError);
            if (IsBadToken(error)) EmitBadAuthTokenError(error, authInfo.SignedAuthToken);
            throw error;
        }
    }

    private void EmitBadAuthTokenError(ScError error, JsonElement? signedAuthToken)
    {
        var signed = signedAuthToken is { ValueKind: JsonValueKind.String } s ? s.GetString() : signedAuthToken?.GetRawText();
        Emit(ServerSocketEvents.BadAuthToken, new BadAuthTokenEvent(error, signed));
        _server.Emit(ServerEvents.BadSocketAuthToken, new BadSocketAuthTokenEvent(this, error, signed));
    }

    internal static bool IsBadToken(ScError error) =>
        error["isBadToken"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>exp is checked lazily (on pongs and inbound events): expired when now &gt; exp × 1000 ms.</summary>
    private bool IsAuthTokenExpired()
    {
        var token = AuthToken;
        return token is { ValueKind: JsonValueKind.Object } t && t.TryGetProperty("exp", out var exp)
            && exp.ValueKind == JsonValueKind.Number && DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > exp.GetDouble() * 1000;
    }

    /// <summary>On an inbound event: an expired token deauthenticates the socket; the action carries the error.</summary>
    private ScError? ProcessAuthTokenExpiry()
    {
        var token = AuthToken;
        if (!IsAuthTokenExpired()) return null;
        Deauthenticate();
        var exp = token!.Value.GetProperty("exp");
        return new ScError(ScErrorNames.AuthTokenExpiredError, "The socket auth token has expired",
            new JsonObject { ["expiry"] = JsonNode.Parse(exp.GetRawText()) });
    }
}
