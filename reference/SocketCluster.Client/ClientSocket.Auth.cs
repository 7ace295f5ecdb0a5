using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Client;

/// <summary>The outcome of <see cref="ClientSocket.AuthenticateAsync"/>.</summary>
public sealed record AuthStatus(bool IsAuthenticated, ScError? AuthError);

/// <summary>
/// Authentication (AU-001..AU-024): the token store, the token in the handshake, #authenticate, #setAuthToken and
/// #removeAuthToken in both directions, and the auth state with its events.
/// </summary>
public sealed partial class ClientSocket
{
    private AuthState _authState = AuthState.Unauthenticated;
    private string? _signedAuthToken;
    private JsonElement? _authToken;

    /// <summary>'authenticated' or 'unauthenticated' (official authState).</summary>
    public AuthState AuthState { get { lock (Gate) return _authState; } }

    /// <summary>The compact JWT the client holds, or null.</summary>
    public string? SignedAuthToken { get { lock (Gate) return _signedAuthToken; } }

    /// <summary>The token's payload, decoded without verification, or null.</summary>
    public JsonElement? AuthToken { get { lock (Gate) return _authToken; } }

    /// <summary>
    /// Sends #authenticate (through the offline queue, so it connects a closed socket). A refusal other than
    /// BadConnectionError/TimeoutError (e.g. AuthTokenInvalidError for a bad token) deauthenticates and rethrows.
    /// The token is stored whatever the verdict; a storage failure is an 'error' event only.
    /// </summary>
    /// <exception cref="ArgumentNullException">(The task) <paramref name="signedAuthToken"/> is null.</exception>
    /// <exception cref="ScRemoteException">(The task) the server refused the token (e.g. AuthTokenInvalidError); the socket is then deauthenticated.</exception>
    /// <exception cref="ScTimeoutException">(The task) no response within the ackTimeout; the auth state is kept.</exception>
    /// <exception cref="ScBadConnectionException">(The task) the connection ended before the response; the auth state is kept.</exception>
    /// <exception cref="OperationCanceledException">(The task) <paramref name="cancellationToken"/> was cancelled first.</exception>
    /// <exception cref="ObjectDisposedException">(The task) the socket was disposed.</exception>
    public async Task<AuthStatus> AuthenticateAsync(string signedAuthToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signedAuthToken);
        JsonElement? result;
        try
        {
            result = await InvokeAsync(EventNames.Authenticate, ScCodec.ToData(signedAuthToken), null, cancellationToken).ConfigureAwait(false);
        }
        catch (ScError e) when (e.Name is not (ScErrorNames.BadConnectionError or ScErrorNames.TimeoutError))
        {
            // A timeout or a lost connection says nothing about the token: the last known state is kept.
            lock (Gate) ChangeToUnauthenticatedStateAndClearTokens();
            throw;
        }

        AuthStatus status;
        lock (Gate)
        {
            if (result is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("isAuthenticated", out var ia)
                && ia.ValueKind is not JsonValueKind.Null)
            {
                var authError = r.TryGetProperty("authError", out var ae) && ScData.IsTruthy(ae) ? ScError.Hydrate(ae) : null;
                status = new AuthStatus(ScData.IsTruthy(ia), authError);
            }
            else
            {
                status = new AuthStatus(_authState == AuthState.Authenticated, null);
            }

            if (status.IsAuthenticated) ChangeToAuthenticatedState(signedAuthToken);
            else ChangeToUnauthenticatedStateAndClearTokens();
            SaveStoredToken(signedAuthToken);
        }
        await Task.Yield();
        return status;
    }

    /// <summary>
    /// Forgets the token at once (authStateChange and deauthenticate events, then removeAuthToken once the
    /// store has removed it) and transmits #removeAuthToken unless the socket is closed. The server never replies.
    /// </summary>
    public async Task DeauthenticateAsync()
    {
        lock (Gate)
        {
            if (_state != ConnectionState.Closed) Transmit(EventNames.RemoveAuthToken);
            RemoveStoredTokenAndDeauthenticate();
        }
        await Task.Yield();
    }

    private void SetAuthTokenFromServer(string signedAuthToken)
    {
        ChangeToAuthenticatedState(signedAuthToken);
        SaveStoredToken(signedAuthToken);
    }

    private void RemoveAuthTokenFromServer() => RemoveStoredTokenAndDeauthenticate();

    /// <summary>Starts the store removal, changes the state, then emits removeAuthToken (or the store's error).</summary>
    private void RemoveStoredTokenAndDeauthenticate()
    {
        Task<string?> removal;
        try { removal = AuthEngine.RemoveTokenAsync(AuthTokenName); }
        catch (Exception e) { removal = Task.FromException<string?>(e); }

        ChangeToUnauthenticatedStateAndClearTokens();

        if (removal.IsCompleted) EmitRemoval(removal);
        else removal.ContinueWith(t => { lock (Gate) EmitRemoval(t); }, TaskScheduler.Default);
    }

    private void EmitRemoval(Task<string?> removal)
    {
        if (removal.IsCompletedSuccessfully) EmitEvent(ClientEvents.RemoveAuthToken, new RemoveAuthTokenEvent(removal.Result));
        else EmitError(removal.Exception?.InnerException ?? new InvalidOperationException("Removing the auth token was canceled."));
    }

    private void SaveStoredToken(string signedAuthToken)
    {
        if (Has(ClientFaults.DropIssuedToken)) return; // test-only fault
        Task saving;
        try { saving = AuthEngine.SaveTokenAsync(AuthTokenName, signedAuthToken); }
        catch (Exception e) { saving = Task.FromException(e); }
        if (saving.IsCompleted) ReportSaveFailure(saving);
        else saving.ContinueWith(t => { lock (Gate) ReportSaveFailure(t); }, TaskScheduler.Default);
    }

    private void ReportSaveFailure(Task saving)
    {
        if (!saving.IsCompletedSuccessfully)
            EmitError(saving.Exception?.InnerException ?? new InvalidOperationException("Saving the auth token was canceled."));
    }

    private void ChangeToAuthenticatedState(string? signedAuthToken)
    {
        _signedAuthToken = signedAuthToken;
        _authToken = AuthTokenPayload.Decode(signedAuthToken);
        if (_authState != AuthState.Authenticated)
        {
            var old = _authState;
            _authState = AuthState.Authenticated;
            // waitForAuth channels can go now (unless the handshake's own resubscription pass is about to run).
            if (!_preparingPendingSubscriptions) ProcessPendingSubscriptions();
            EmitEvent(ClientEvents.AuthStateChange, new AuthStateChangeEvent(old, AuthState.Authenticated, signedAuthToken, _authToken));
        }
        EmitEvent(ClientEvents.Authenticate, new AuthenticateEvent(signedAuthToken, _authToken));
    }

    private void ChangeToUnauthenticatedStateAndClearTokens()
    {
        if (_authState == AuthState.Unauthenticated) return;
        var old = _authState;
        var oldSigned = _signedAuthToken;
        var oldToken = _authToken;
        _authState = AuthState.Unauthenticated;
        _signedAuthToken = null;
        _authToken = null;
        EmitEvent(ClientEvents.AuthStateChange, new AuthStateChangeEvent(old, AuthState.Unauthenticated, null, null));
        EmitEvent(ClientEvents.Deauthenticate, new DeauthenticateEvent(oldSigned, oldToken));
    }
}
