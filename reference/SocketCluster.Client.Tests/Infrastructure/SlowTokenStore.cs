using SocketCluster.Client;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>
/// A token store whose load waits until released (or a delay): it holds a connection in the handshake phase
/// (WebSocket open, #handshake not yet sent), which is otherwise too short to act in.
/// </summary>
public sealed class SlowTokenStore(TimeSpan? delay = null) : IAuthTokenStore
{
    private readonly InMemoryAuthTokenStore _inner = new();
    private readonly TaskCompletionSource _loading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the client asked for its token (the WebSocket is open).</summary>
    public Task Loading => _loading.Task;

    public void Release() => _release.TrySetResult();

    public async Task<string?> LoadTokenAsync(string name)
    {
        _loading.TrySetResult();
        if (delay is { } d) await Task.Delay(d);
        else await _release.Task;
        return await _inner.LoadTokenAsync(name);
    }

    public Task SaveTokenAsync(string name, string token) => _inner.SaveTokenAsync(name, token);
    public Task<string?> RemoveTokenAsync(string name) => _inner.RemoveTokenAsync(name);
}
