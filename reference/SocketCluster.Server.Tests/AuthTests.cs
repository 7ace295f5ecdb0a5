using System.Text.Json;
using System.Text.Json.Nodes;
using SocketCluster.Protocol;
using SocketCluster.Server.Auth;
using SocketCluster.Server.Middleware;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

/// <summary>Tokens here were signed by jsonwebtoken 9 (the official server's signer) with <see cref="TestHost.AuthKey"/>.</summary>
public sealed class AuthTests
{
    /// <summary>{username:'bob', iat:1700000000, exp:4102444800}, HS256.</summary>
    public const string BobToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6ImJvYiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.tR9y96tsA2McQ4pJ3yazd1b9O--hYwUViFap4uSV_hc";
    /// <summary>The same payload, HS512.</summary>
    public const string BobTokenHs512 = "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6ImJvYiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.ErDUruDsp3-zSLAIxPKbqusuzWINDyLvoVYPHpPLzWQO9U_8uxPgIn11siKGi3m7Jd6HOJNncLPq3LHc4XMFcA";
    /// <summary>exp 1700000100 (long past).</summary>
    public const string ExpiredToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6ImJvYiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwMTAwfQ.BuWvoKhHrs6WcdSBk7VgNKJiwTUIwCL6_xVG6zi-fkc";
    /// <summary>nbf 4102444000 (far future).</summary>
    public const string NotYetToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6ImJvYiIsImlhdCI6MTcwMDAwMDAwMCwibmJmIjo0MTAyNDQ0MDAwLCJleHAiOjQxMDI0NDQ4MDB9.9-1Oq31DHXiuFCM5Yu2Fp9cXq-Jnw8Dct8_ttj8ESYg";
    /// <summary>Bob's payload signed with another key.</summary>
    public const string OtherKeyToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6ImJvYiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.LYE9u_rFYEbvxm3rh9ngY_ujnYTqJjD2VsvQ3e1LoYY";

    [Fact]
    public async Task A_valid_handshake_token_authenticates_without_setAuthToken()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectAsync();
        var data = (await client.HandshakeAsync(BobToken)).GetProperty("data");
        Assert.Equal(["id", "pingTimeout", "isAuthenticated"], data.EnumerateObject().Select(p => p.Name));
        Assert.True(data.GetProperty("isAuthenticated").GetBoolean());
        var socket = await connection;
        Assert.Equal(AuthState.Authenticated, socket.AuthState);
        Assert.Equal("bob", socket.AuthToken!.Value.GetProperty("username").GetString());
        Assert.Equal(BobToken, socket.SignedAuthToken);
        await client.AssertNoFrameAsync();
    }

    public static TheoryData<string, string, string, bool> BadTokens => new()
    {
        // token, name, message, isBadToken
        { ExpiredToken, "AuthTokenExpiredError", "jwt expired", true },
        { OtherKeyToken, "AuthTokenInvalidError", "invalid signature", true },
        { "abc.def", "AuthTokenInvalidError", "jwt malformed", true },
        { "x.y.z", "AuthTokenInvalidError", "invalid token", true },
        { "eyJhbGciOiJub25lIn0.eyJhIjoxfQ.", "AuthTokenInvalidError", "jwt signature is required", true },
        { NotYetToken, "AuthTokenNotBeforeError", "jwt not active", false },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_failing_handshake_token_is_reported_in_authError(string token, string name, string message, bool isBadToken)
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectAsync();
        var data = (await client.HandshakeAsync(token)).GetProperty("data");
        Assert.Equal(["id", "pingTimeout", "authError", "isAuthenticated"], data.EnumerateObject().Select(p => p.Name));
        var authError = data.GetProperty("authError");
        Assert.Equal(message, authError.GetProperty("message").GetString());
        Assert.Equal(name, authError.GetProperty("name").GetString());
        Assert.Equal(isBadToken, authError.GetProperty("isBadToken").GetBoolean());
        Assert.False(data.GetProperty("isAuthenticated").GetBoolean());
        if (isBadToken) Assert.Equal("""{"event":"#removeAuthToken"}""", await client.ReceiveAsync());
        else await client.AssertNoFrameAsync();
    }

    [Fact]
    public async Task Expiry_and_date_travel_as_ISO_strings()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectAsync();
        var expired = (await client.HandshakeAsync(ExpiredToken)).GetProperty("data").GetProperty("authError");
        Assert.Equal("2023-11-14T22:15:00.000Z", expired.GetProperty("expiry").GetString());
        await client.ReceiveAsync();
        var notYet = (await client.InvokeAsync("#authenticate", NotYetToken)).GetProperty("data").GetProperty("authError");
        Assert.Equal("2099-12-31T23:46:40.000Z", notYet.GetProperty("date").GetString());
    }

    [Fact]
    public async Task A_non_string_handshake_token_is_an_AuthTokenError()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SendAsync("""{"event":"#handshake","data":{"authToken":12345},"cid":1}""");
        var authError = (await client.ReceiveJsonAsync()).GetProperty("data").GetProperty("authError");
        Assert.Equal("""{"message":"Invalid token format - Token must be a string","name":"AuthTokenError","isBadToken":true}""", authError.GetRawText());
    }

    [Fact]
    public async Task Authenticate_rows_match_the_official_server()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectOpenAsync();

        Assert.Equal("""{"rid":2,"data":{"isAuthenticated":true,"authError":null}}""", (await client.InvokeAsync("#authenticate", BobToken)).GetRawText());
        Assert.Equal("""{"rid":3,"data":{"isAuthenticated":true,"authError":null}}""", (await client.InvokeAsync("#authenticate", BobTokenHs512)).GetRawText());

        async Task ExpectBad(object? data, bool withData, string expected)
        {
            var cid = await client.SendRequestAsync("#authenticate", data, withData);
            Assert.Equal(expected.Replace("$cid", cid.ToString()), (await client.ReceiveJsonAsync()).GetRawText());
            Assert.Equal("""{"event":"#removeAuthToken"}""", await client.ReceiveAsync());
        }
        await ExpectBad("abc.def", true, """{"rid":$cid,"error":{"message":"jwt malformed","name":"AuthTokenInvalidError","isBadToken":true}}""");
        await ExpectBad(null, true, """{"rid":$cid,"error":{"message":"jwt must be provided","name":"AuthTokenInvalidError","isBadToken":true}}""");
        await ExpectBad(null, false, """{"rid":$cid,"error":{"message":"jwt must be provided","name":"AuthTokenInvalidError","isBadToken":true}}""");
        await ExpectBad("", true, """{"rid":$cid,"error":{"message":"jwt must be provided","name":"AuthTokenInvalidError","isBadToken":true}}""");
        await ExpectBad(12345, true, """{"rid":$cid,"error":{"message":"Invalid token format - Token must be a string","name":"AuthTokenError","isBadToken":true}}""");
        await ExpectBad(OtherKeyToken, true, """{"rid":$cid,"error":{"message":"invalid signature","name":"AuthTokenInvalidError","isBadToken":true}}""");

        var notYet = await client.InvokeAsync("#authenticate", NotYetToken);
        Assert.False(notYet.GetProperty("data").GetProperty("isAuthenticated").GetBoolean());
        Assert.Equal("AuthTokenNotBeforeError", notYet.GetProperty("data").GetProperty("authError").GetProperty("name").GetString());
        await client.AssertNoFrameAsync();
    }

    [Fact]
    public async Task Authenticate_without_a_cid_closes_with_4008()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await host.ConnectOpenAsync();
        await client.TransmitAsync("#authenticate", BobToken);
        Assert.Equal((4008, ""), await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task An_authAlgorithm_restricts_the_accepted_algorithms()
    {
        await using var host = await TestHost.StartAsync(o => o.AuthAlgorithm = "HS256");
        await using var client = await host.ConnectOpenAsync();
        var response = await client.InvokeAsync("#authenticate", BobTokenHs512);
        Assert.Equal("invalid algorithm", response.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task SetAuthTokenAsync_signs_a_jsonwebtoken_compatible_token_and_transmits_it()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await socket.SetAuthTokenAsync(new { username = "alice" }).WithTimeout();

        var frame = await client.ReceiveJsonAsync();
        Assert.Equal("#setAuthToken", frame.GetProperty("event").GetString());
        Assert.False(frame.TryGetProperty("cid", out _));
        var token = frame.GetProperty("data").GetProperty("token").GetString()!;
        Assert.Equal(socket.SignedAuthToken, token);
        var payload = AuthTokenPayload.Decode(token)!.Value;
        Assert.Equal(["username", "iat", "exp"], payload.EnumerateObject().Select(p => p.Name));
        var iat = payload.GetProperty("iat").GetInt64();
        Assert.InRange(iat, before - 5, before + 60);
        Assert.Equal(iat + 86400, payload.GetProperty("exp").GetInt64());
        Assert.Equal(payload.GetRawText(), socket.AuthToken!.Value.GetRawText());
        Assert.Equal("""{"alg":"HS256","typ":"JWT"}""", System.Text.Encoding.UTF8.GetString(Base64Url(token.Split('.')[0])));

        // The server accepts its own token back.
        Assert.Equal("""{"rid":2,"data":{"isAuthenticated":true,"authError":null}}""", (await client.InvokeAsync("#authenticate", token)).GetRawText());
    }

    [Fact]
    public async Task An_exp_claim_wins_over_expiresIn()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        var exp = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 10 * 86400;
        await socket.SetAuthTokenAsync(new JsonObject { ["username"] = "bob", ["exp"] = exp }, new AuthTokenOptions { ExpiresIn = 1000 * 86400 });
        Assert.Equal(exp, socket.AuthToken!.Value.GetProperty("exp").GetInt64());
        await socket.SetAuthTokenAsync(new { username = "bob" }, new AuthTokenOptions { ExpiresIn = 10 });
        var payload = socket.AuthToken!.Value;
        Assert.Equal(payload.GetProperty("iat").GetInt64() + 10, payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task A_signing_failure_closes_with_4002()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        await Assert.ThrowsAsync<ScError>(() => socket.SetAuthTokenAsync(new { iss = "me" }, new AuthTokenOptions { Issuer = "other" }));
        Assert.Equal((4002, ""), await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task SetAuthTokenAsync_with_rejectOnFailedDelivery_waits_for_the_acknowledgement()
    {
        await using var host = await TestHost.StartAsync(o => o.AckTimeout = TimeSpan.FromMilliseconds(500));
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        var call = socket.SetAuthTokenAsync(new { username = "ann" }, new AuthTokenOptions { RejectOnFailedDelivery = true });
        var frame = await client.ReceiveJsonAsync();
        Assert.Equal(1, frame.GetProperty("cid").GetInt64());
        await client.SendAsync("""{"rid":1}""");
        await call.WithTimeout();

        var unacknowledged = socket.SetAuthTokenAsync(new { username = "ann" }, new AuthTokenOptions { RejectOnFailedDelivery = true });
        var error = await Assert.ThrowsAsync<ScError>(() => unacknowledged.WithTimeout());
        Assert.Equal(("AuthError", "Failed to deliver auth token to client - Event response for #setAuthToken event timed out"), (error.Name, error.Message));
    }

    [Fact]
    public async Task Deauthenticate_transmits_removeAuthToken_and_a_client_removeAuthToken_is_never_answered()
    {
        await using var host = await TestHost.StartAsync();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync(BobToken);
        var socket = await connection;
        var deauth = socket.Listener(ServerSocketEvents.Deauthenticate).CreateConsumer();
        socket.Deauthenticate();
        Assert.Equal("""{"event":"#removeAuthToken"}""", await client.ReceiveAsync());
        Assert.Equal(AuthState.Unauthenticated, socket.AuthState);
        Assert.Equal("bob", (await deauth.NextAsync(Waits.Long)).OldAuthToken!.Value.GetProperty("username").GetString());

        await client.InvokeAsync("#authenticate", BobToken);
        Assert.Equal(AuthState.Authenticated, socket.AuthState);
        await client.SendAsync("""{"event":"#removeAuthToken","cid":9}""");
        await client.AssertNoFrameAsync();
        Assert.Equal(AuthState.Unauthenticated, socket.AuthState);
    }

    [Fact]
    public async Task An_expired_token_is_dropped_lazily_on_the_next_inbound_event()
    {
        await using var host = await TestHost.StartAsync();
        host.ServeEcho();
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        var exp = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        await socket.SetAuthTokenAsync(new JsonObject { ["username"] = "bob", ["exp"] = exp });
        await client.ReceiveEventAsync("#setAuthToken");
        await Waits.Until(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > exp * 1000 + 100, "the token expires");
        Assert.Equal(AuthState.Authenticated, socket.AuthState); // no timer: nothing happens by itself
        var cid = await client.SendRequestAsync("echo", 1);
        Assert.Equal("""{"event":"#removeAuthToken"}""", await client.ReceiveAsync());
        Assert.Equal(cid, (await client.ReceiveJsonAsync()).GetProperty("rid").GetInt64()); // the request is still processed
        Assert.Equal(AuthState.Unauthenticated, socket.AuthState);
    }

    [Fact]
    public async Task An_expired_token_is_dropped_lazily_on_a_pong()
    {
        await using var host = await TestHost.StartAsync(o => { o.PingInterval = TimeSpan.FromMilliseconds(200); o.PingTimeout = TimeSpan.FromMilliseconds(5000); });
        var connection = host.NextConnectionAsync();
        await using var client = await host.ConnectOpenAsync();
        var socket = await connection;
        var exp = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        await socket.SetAuthTokenAsync(new JsonObject { ["username"] = "bob", ["exp"] = exp });
        await client.ReceiveEventAsync("#setAuthToken");
        Assert.Equal("""{"event":"#removeAuthToken"}""", await client.ReceiveAsync());
        Assert.Equal(AuthState.Unauthenticated, socket.AuthState);
    }

    [Fact]
    public async Task A_blocked_AUTHENTICATE_is_a_soft_failure_without_removeAuthToken()
    {
        await using var host = await TestHost.StartAsync(setup: s => s.SetMiddleware(MiddlewareTypes.Inbound, async stream =>
        {
            await foreach (var action in stream)
            {
                if (action.Type == ActionTypes.Authenticate && action.AuthToken!.Value.GetProperty("username").GetString() == "bob")
                    action.Block(new ScError("AuthBlockedError", "blocked auth"));
                else action.Allow();
            }
        }));
        await using var client = await host.ConnectAsync();
        var handshake = (await client.HandshakeAsync(BobToken)).GetProperty("data");
        Assert.False(handshake.GetProperty("isAuthenticated").GetBoolean());
        Assert.Equal("""{"message":"blocked auth","name":"AuthBlockedError"}""", handshake.GetProperty("authError").GetRawText());
        var response = await client.InvokeAsync("#authenticate", BobToken);
        Assert.Equal("""{"rid":2,"data":{"isAuthenticated":false,"authError":{"message":"blocked auth","name":"AuthBlockedError"}}}""", response.GetRawText());
        await client.AssertNoFrameAsync();
    }

    [Fact]
    public async Task SetAuthTokenAsync_before_the_handshake_completes_is_an_InvalidActionError()
    {
        var attempt = new TaskCompletionSource<Exception?>();
        await using var host = await TestHost.StartAsync(setup: s => s.SetMiddleware(MiddlewareTypes.Handshake, async stream =>
        {
            await foreach (var action in stream)
            {
                if (action.Type == ActionTypes.HandshakeSC)
                {
                    try { await action.Socket!.SetAuthTokenAsync(new { username = "x" }); attempt.TrySetResult(null); }
                    catch (Exception e) { attempt.TrySetResult(e); }
                }
                action.Allow();
            }
        }));
        await using var client = await host.ConnectAsync();
        var data = (await client.HandshakeAsync()).GetProperty("data");
        Assert.False(data.GetProperty("isAuthenticated").GetBoolean());
        var error = Assert.IsType<ScError>(await attempt.Task.WithTimeout());
        Assert.Equal("Cannot call setAuthToken before completing the handshake", error.Message);
    }

    private static byte[] Base64Url(string segment)
    {
        var s = segment.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
