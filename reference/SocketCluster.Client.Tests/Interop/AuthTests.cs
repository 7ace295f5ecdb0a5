using System.Text.Json;
using SocketCluster.Client;
using SocketCluster.Protocol.Streams;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.Interop;

/// <summary>Authentication round trips and the official client suite's auth behaviours (AU-001..AU-023, HS-009).</summary>
public sealed class AuthTests : InteropTest
{
    private const string TokenName = "socketcluster.authToken.test";

    private static ClientOptions WithStore(ServerUnderTest server, IAuthTokenStore store) =>
        server.ClientOptions() with { AuthEngine = store, AuthTokenName = TokenName };

    private static async Task<InMemoryAuthTokenStore> StoreWith(string? token)
    {
        var store = new InMemoryAuthTokenStore();
        if (token is not null) await store.SaveTokenAsync(TokenName, token);
        return store;
    }

    private static async Task<JsonElement> ServerAuthStateAsync(ClientSocket client) =>
        (await client.InvokeAsync("conformance.authState"))!.Value;

    private static async Task<List<string>> TransitionsAsync(ClientSocket client, StreamConsumer<AuthStateChangeEvent> changes)
    {
        await client.FlushEventsAsync();
        var list = new List<string>();
        while (changes.TryRead(out var e)) list.Add($"{Short(e.OldAuthState)}->{Short(e.NewAuthState)}");
        return list;
        static string Short(AuthState s) => s == AuthState.Authenticated ? "a" : "u";
    }

    private static string? Username(JsonElement? token) =>
        token is { } t && t.TryGetProperty("username", out var u) ? u.GetString() : null;

    [Theory, MemberData(nameof(Targets))]
    public async Task C4_no_token_connect_status_has_no_authError(string target)
    {
        var server = await SharedServerAsync(target);
        var client = SocketClusterClient.Create(WithStore(server, await StoreWith(null)));
        await using var _ = client;
        await using var connects = client.Listener<ConnectEvent>(ClientEvents.Connect).CreateConsumer();
        client.Connect();
        var connect = await connects.NextAsync();
        Assert.False(connect.IsAuthenticated);
        Assert.Null(connect.AuthError);
        Assert.False(connect.Status!.Value.TryGetProperty("authError", out var __)); // absent, not null, on the wire
        Assert.Null(connect.AuthToken);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C5_stored_valid_token_is_sent_in_the_handshake_and_authenticates(string target)
    {
        var server = await SharedServerAsync(target);
        var token = TestTokens.For("bob");
        var client = SocketClusterClient.Create(WithStore(server, await StoreWith(token)));
        await using var _ = client;
        await using var connects = client.Listener<ConnectEvent>(ClientEvents.Connect).CreateConsumer();
        client.Connect();
        var connect = await connects.NextAsync();

        Assert.True(connect.IsAuthenticated);
        Assert.Null(connect.AuthError);
        Assert.Equal(token, connect.AuthToken);
        Assert.Equal(AuthState.Authenticated, client.AuthState);
        Assert.Equal(token, client.SignedAuthToken);
        Assert.Equal("bob", Username(client.AuthToken));
        var serverView = await ServerAuthStateAsync(client);
        Assert.Equal("authenticated", serverView.GetProperty("authState").GetString());
        Assert.Equal("bob", Username(serverView.GetProperty("authToken")));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C8_C9_server_sets_the_token_and_the_client_authenticates(string target)
    {
        var server = await SharedServerAsync(target);
        var store = await StoreWith(null);
        await using var client = await TestClients.ConnectAsync(server, o => WithStore(server, store));
        await using var authenticates = client.Listener<AuthenticateEvent>(ClientEvents.Authenticate).CreateConsumer();

        var signed = await client.InvokeAsync<string>("conformance.login", new { username = "bob" });
        var authenticated = await authenticates.NextAsync();

        Assert.Equal(signed, authenticated.SignedAuthToken);
        Assert.Equal("bob", Username(authenticated.AuthToken));
        Assert.Equal(AuthState.Authenticated, client.AuthState);
        Assert.Equal("bob", Username(client.AuthToken));
        Assert.True(client.AuthToken!.Value.TryGetProperty("exp", out _)); // the signer added iat/exp
        Assert.Equal(signed, await store.LoadTokenAsync(TokenName));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C10_C11_login_then_reconnect_stays_authenticated(string target)
    {
        var server = await SharedServerAsync(target);
        var store = await StoreWith(null);
        await using var client = await TestClients.ConnectAsync(server, o => WithStore(server, store));
        await using var changes = client.Listener<AuthStateChangeEvent>(ClientEvents.AuthStateChange).CreateConsumer();
        await using var authenticates = client.Listener<AuthenticateEvent>(ClientEvents.Authenticate).CreateConsumer();
        await using var connects = client.Listener<ConnectEvent>(ClientEvents.Connect).CreateConsumer();

        await client.InvokeAsync("conformance.login", new { username = "bob" });
        await authenticates.NextAsync();
        client.Reconnect();
        var connect = await connects.NextAsync();

        Assert.True(connect.IsAuthenticated);
        Assert.Null(connect.AuthError);
        Assert.Equal("bob", Username(client.AuthToken));
        Assert.Equal("authenticated", (await ServerAuthStateAsync(client)).GetProperty("authState").GetString());
        Assert.Equal(["u->a"], await TransitionsAsync(client, changes));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C6_token_rejected_after_a_server_key_change_is_removed(string target)
    {
        await using var server = await SharedServers.StartOwnAsync(target);
        var store = await StoreWith(TestTokens.For("bob"));
        var client = SocketClusterClient.Create(WithStore(server, store));
        await using var _ = client;
        await using var connects = client.Listener<ConnectEvent>(ClientEvents.Connect).CreateConsumer();
        await using var removals = client.Listener<RemoveAuthTokenEvent>(ClientEvents.RemoveAuthToken).CreateConsumer();
        client.Connect();
        var first = await connects.NextAsync();
        Assert.True(first.IsAuthenticated);
        Assert.NotNull(client.SignedAuthToken);

        await server.RestartAsync(server.Options with { AuthKey = "a-completely-different-auth-key-of-32-bytes+" });
        var second = await connects.NextAsync(); // auto-reconnect after the abrupt stop

        Assert.False(second.IsAuthenticated);
        Assert.Equal(ScErrorNames.AuthTokenInvalidError, second.AuthError!.Name);
        Assert.True(second.AuthError["isBadToken"]!.GetValue<bool>());
        Assert.Null(client.SignedAuthToken);
        Assert.Null(client.AuthToken);
        Assert.Equal(AuthState.Unauthenticated, client.AuthState);
        await removals.NextAsync(); // the server's #removeAuthToken
        Assert.Null(await store.LoadTokenAsync(TokenName));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Bad_token_in_the_handshake_soft_fails_and_is_removed_from_the_store(string target)
    {
        var server = await SharedServerAsync(target);
        var store = await StoreWith(TestTokens.WrongKey("mallory"));
        var client = SocketClusterClient.Create(WithStore(server, store));
        await using var _ = client;
        await using var connects = client.Listener<ConnectEvent>(ClientEvents.Connect).CreateConsumer();
        await using var removals = client.Listener<RemoveAuthTokenEvent>(ClientEvents.RemoveAuthToken).CreateConsumer();
        client.Connect();

        var connect = await connects.NextAsync();
        Assert.False(connect.IsAuthenticated);
        Assert.Equal(ScErrorNames.AuthTokenInvalidError, connect.AuthError!.Name);
        var removed = await removals.NextAsync();
        Assert.NotNull(removed.OldAuthToken);
        Assert.Null(await store.LoadTokenAsync(TokenName));
        Assert.Equal(ConnectionState.Open, client.State); // a soft failure: still connected
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C7_authenticated_then_login_as_another_user_fires_authenticate_without_authStateChange(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server, o => WithStore(server, StoreWith(TestTokens.For("bob")).Result));
        Assert.Equal(AuthState.Authenticated, client.AuthState);
        await using var changes = client.Listener<AuthStateChangeEvent>(ClientEvents.AuthStateChange).CreateConsumer();
        await using var authenticates = client.Listener<AuthenticateEvent>(ClientEvents.Authenticate).CreateConsumer();

        await client.InvokeAsync("conformance.login", new { username = "alice" });
        var authenticated = await authenticates.NextAsync();
        Assert.Equal("alice", Username(authenticated.AuthToken));
        Assert.Equal(AuthState.Authenticated, client.AuthState);
        Assert.Empty(await TransitionsAsync(client, changes));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C11_initially_unauthenticated_and_no_authStateChange_without_a_token(string target)
    {
        var server = await SharedServerAsync(target);
        var client = SocketClusterClient.Create(WithStore(server, await StoreWith(null)));
        await using var _ = client;
        Assert.Equal(AuthState.Unauthenticated, client.AuthState);
        await using var changes = client.Listener<AuthStateChangeEvent>(ClientEvents.AuthStateChange).CreateConsumer();
        await using var connects = client.Listener(ClientEvents.Connect).CreateConsumer();
        client.Connect();
        await connects.NextAsync();
        await Task.Delay(1000);
        Assert.Empty(await TransitionsAsync(client, changes));
    }

    private sealed class FailingSaveStore : IAuthTokenStore
    {
        public Task<string?> LoadTokenAsync(string name) => Task.FromResult<string?>(null);
        public Task SaveTokenAsync(string name, string token) =>
            Task.FromException(new ScError("FailedToSaveTokenError", "Failed to save token"));
        public Task<string?> RemoveTokenAsync(string name) => Task.FromResult<string?>(null);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C12_a_store_failure_is_an_error_event_and_authenticate_still_resolves(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server, o => WithStore(server, new FailingSaveStore()));
        await using var errors = client.Listener<ErrorEvent>(ClientEvents.Error).CreateConsumer();

        var status = await client.AuthenticateAsync(TestTokens.For("kate"));
        Assert.True(status.IsAuthenticated);
        Assert.Null(status.AuthError);
        Assert.Equal("kate", Username(client.AuthToken));
        var error = await errors.NextAsync();
        Assert.Equal("FailedToSaveTokenError", Assert.IsAssignableFrom<ScError>(error.Error).Name);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C13_authenticate_then_disconnect_does_not_throw(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        var authenticating = client.AuthenticateAsync(TestTokens.For("bob"));
        client.Disconnect();
        try
        {
            await authenticating;
        }
        catch (ScError e)
        {
            Assert.Equal(ScErrorNames.BadConnectionError, e.Name);
            Assert.Equal(AuthState.Unauthenticated, client.AuthState);
        }
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C14_disconnect_keeps_the_auth_state_and_authenticate_while_closed_reconnects(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server, o => WithStore(server, StoreWith(null).Result));
        await using var changes = client.Listener<AuthStateChangeEvent>(ClientEvents.AuthStateChange).CreateConsumer();
        await using var authenticates = client.Listener<AuthenticateEvent>(ClientEvents.Authenticate).CreateConsumer();

        var signed = await client.InvokeAsync<string>("conformance.login", new { username = "bob" });
        var authenticated = await authenticates.NextAsync();
        Assert.Equal(signed, authenticated.SignedAuthToken);
        Assert.Equal(AuthState.Authenticated, client.AuthState);

        client.Disconnect();
        Assert.Equal(AuthState.Authenticated, client.AuthState);

        var status = await client.AuthenticateAsync(signed!); // queued: connects the closed socket
        Assert.True(status.IsAuthenticated);
        Assert.Equal(ConnectionState.Open, client.State);
        Assert.Equal(AuthState.Authenticated, client.AuthState);
        Assert.Equal(["u->a"], await TransitionsAsync(client, changes));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C15_deauthenticate_and_authenticate_transitions(string target)
    {
        var server = await SharedServerAsync(target);
        var bob = TestTokens.For("bob");
        var client = SocketClusterClient.Create(WithStore(server, await StoreWith(bob)));
        await using var _ = client;
        await using var changes = client.Listener<AuthStateChangeEvent>(ClientEvents.AuthStateChange).CreateConsumer();
        await using var connects = client.Listener(ClientEvents.Connect).CreateConsumer();
        client.Connect();
        await connects.NextAsync();
        Assert.Equal(AuthState.Authenticated, client.AuthState);

        var deauthenticating = client.DeauthenticateAsync();
        Assert.Equal(AuthState.Unauthenticated, client.AuthState); // synchronously
        await deauthenticating;
        Assert.Equal("unauthenticated", (await ServerAuthStateAsync(client)).GetProperty("authState").GetString());

        var authenticating = client.AuthenticateAsync(bob);
        Assert.Equal(AuthState.Unauthenticated, client.AuthState); // until the server answers
        await authenticating;
        Assert.Equal(AuthState.Authenticated, client.AuthState);

        client.Disconnect();
        Assert.Equal(AuthState.Authenticated, client.AuthState);
        await client.DeauthenticateAsync();
        Assert.Equal(AuthState.Unauthenticated, client.AuthState);
        Assert.Equal(["u->a", "a->u", "u->a", "a->u"], await TransitionsAsync(client, changes));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C16_authenticate_with_an_invalid_token_rejects_and_deauthenticates(string target)
    {
        var server = await SharedServerAsync(target);
        var client = SocketClusterClient.Create(WithStore(server, await StoreWith(TestTokens.For("bob"))));
        await using var _ = client;
        await using var changes = client.Listener<AuthStateChangeEvent>(ClientEvents.AuthStateChange).CreateConsumer();
        await using var connects = client.Listener(ClientEvents.Connect).CreateConsumer();
        client.Connect();
        await connects.NextAsync();

        var authenticating = client.AuthenticateAsync(TestTokens.Malformed);
        Assert.Equal(AuthState.Authenticated, client.AuthState); // until the reply
        var error = await Assert.ThrowsAnyAsync<ScError>(() => authenticating);
        Assert.Equal(ScErrorNames.AuthTokenInvalidError, error.Name);
        Assert.Equal(AuthState.Unauthenticated, client.AuthState);
        Assert.Equal(["u->a", "a->u"], await TransitionsAsync(client, changes));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C17_authenticate_as_another_user_keeps_the_state_and_swaps_the_token(string target)
    {
        var server = await SharedServerAsync(target);
        var client = SocketClusterClient.Create(WithStore(server, await StoreWith(TestTokens.For("bob"))));
        await using var _ = client;
        await using var changes = client.Listener<AuthStateChangeEvent>(ClientEvents.AuthStateChange).CreateConsumer();
        await using var authenticates = client.Listener<AuthenticateEvent>(ClientEvents.Authenticate).CreateConsumer();
        await using var connects = client.Listener(ClientEvents.Connect).CreateConsumer();
        client.Connect();
        await connects.NextAsync();

        var status = await client.AuthenticateAsync(TestTokens.For("kate"));
        Assert.True(status.IsAuthenticated);
        Assert.Equal(AuthState.Authenticated, client.AuthState);
        Assert.Equal("kate", Username(client.AuthToken));
        Assert.Equal(["u->a"], await TransitionsAsync(client, changes));
        var names = new List<string?>();
        while (authenticates.TryRead(out var a)) names.Add(Username(a.AuthToken));
        Assert.Equal(["bob", "kate"], names);
        Assert.Equal("kate", Username((await ServerAuthStateAsync(client)).GetProperty("authToken")));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C18_waitForAuth_channel_subscribes_only_while_authenticated(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server, o => WithStore(server, StoreWith(null).Result));
        var name = "priv-" + Guid.NewGuid().ToString("N");
        await using var subscribed = client.Channel(name).Listener(ClientEvents.Subscribe).CreateConsumer();
        await using var connects = client.Listener(ClientEvents.Connect).CreateConsumer();

        var channel = client.Subscribe(name, new SubscribeOptions { WaitForAuth = true });
        await Task.Delay(1000);
        Assert.Equal(ChannelState.Pending, channel.State);

        await client.InvokeAsync("conformance.login", new { username = "bob" });
        await subscribed.NextAsync();
        Assert.Equal(ChannelState.Subscribed, channel.State);
        var signed = client.SignedAuthToken!;

        client.Disconnect();
        Assert.Equal(ChannelState.Pending, channel.State);
        await client.AuthenticateAsync(signed); // reconnects
        await subscribed.NextAsync();
        Assert.Equal(ChannelState.Subscribed, channel.State);
        Assert.Contains(name, (await client.InvokeAsync<string[]>("conformance.subscriptions"))!);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task C19_queued_subscribe_goes_before_a_queued_failing_authenticate(string target)
    {
        var server = await SharedServerAsync(target);
        var bob = TestTokens.For("bob");
        var client = SocketClusterClient.Create(WithStore(server, await StoreWith(bob)));
        await using var _ = client;
        await using var all = client.AllEvents().CreateConsumer();
        var name = "priv-" + Guid.NewGuid().ToString("N");

        var authenticating = client.AuthenticateAsync(TestTokens.Malformed); // connects the closed socket
        var channel = client.Subscribe(name, new SubscribeOptions { WaitForAuth = true });

        var connect = await all.NextOfAsync<ConnectEvent>(ClientEvents.Connect);
        Assert.True(connect.IsAuthenticated);
        var error = await Assert.ThrowsAnyAsync<ScError>(() => authenticating);
        Assert.Equal(ScErrorNames.AuthTokenInvalidError, error.Name);

        // Between connect and the authenticate failure, the channel got subscribed (no subscribeFail).
        var seen = new List<string>();
        DeauthenticateEvent? deauth = null;
        while (deauth is null)
        {
            var e = await all.NextAsync();
            seen.Add(e.Name);
            if (e.Event is DeauthenticateEvent d) deauth = d;
        }
        Assert.Contains(ClientEvents.Subscribe, seen);
        Assert.DoesNotContain(ClientEvents.SubscribeFail, seen);
        Assert.Equal(ChannelState.Subscribed, channel.State);
        Assert.Equal(bob, deauth.OldSignedAuthToken);
        Assert.Equal("bob", Username(deauth.OldAuthToken));
        Assert.Equal(AuthState.Unauthenticated, client.AuthState);
        Assert.Null(client.AuthToken);

        var second = client.Subscribe(name + "-2", new SubscribeOptions { WaitForAuth = true });
        await Task.Delay(500);
        Assert.Equal(ChannelState.Pending, second.State);
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Server_deauthenticate_removes_the_token_on_the_client(string target)
    {
        var server = await SharedServerAsync(target);
        var store = await StoreWith(TestTokens.For("bob"));
        await using var client = await TestClients.ConnectAsync(server, o => WithStore(server, store));
        await using var deauths = client.Listener<DeauthenticateEvent>(ClientEvents.Deauthenticate).CreateConsumer();
        await using var removals = client.Listener<RemoveAuthTokenEvent>(ClientEvents.RemoveAuthToken).CreateConsumer();

        await client.InvokeAsync("conformance.deauthenticate");
        var deauth = await deauths.NextAsync();
        Assert.Equal("bob", Username(deauth.OldAuthToken));
        await removals.NextAsync();
        Assert.Equal(AuthState.Unauthenticated, client.AuthState);
        Assert.Null(await store.LoadTokenAsync(TokenName));
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task Client_deauthenticate_reaches_the_server(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server, o => WithStore(server, StoreWith(TestTokens.For("bob")).Result));
        Assert.Equal("authenticated", (await ServerAuthStateAsync(client)).GetProperty("authState").GetString());

        await client.DeauthenticateAsync();
        // #removeAuthToken is processed before the next request (per-socket order).
        Assert.Equal("unauthenticated", (await ServerAuthStateAsync(client)).GetProperty("authState").GetString());
    }

    [Theory, MemberData(nameof(Targets))]
    public async Task SetAuthToken_with_a_custom_payload_is_decoded_on_the_client(string target)
    {
        var server = await SharedServerAsync(target);
        await using var client = await TestClients.ConnectAsync(server);
        await using var authenticates = client.Listener<AuthenticateEvent>(ClientEvents.Authenticate).CreateConsumer();
        var exp = DateTimeOffset.UtcNow.AddDays(10).ToUnixTimeSeconds();

        await client.InvokeAsync("conformance.setAuthToken", new { username = "carol", roles = new[] { "a", "b" }, exp });
        var authenticated = await authenticates.NextAsync();
        Assert.Equal("""["a","b"]""", authenticated.AuthToken!.Value.GetProperty("roles").GetRawText());
        Assert.Equal(exp, authenticated.AuthToken!.Value.GetProperty("exp").GetInt64()); // an explicit exp wins
    }
}
