using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Engine.Drivers;

namespace Conformance.Mutants.Clients;

/// <summary>A client handle whose connection runs through a wire-mutant proxy: disposing it stops the proxy too.</summary>
internal sealed class ProxiedClientHandle(IClientHandle inner, MutationProxy proxy, ConcurrentQueue<Exception> faults) : IClientHandle
{
    public string DriverName => inner.DriverName;

    public Task<ClientState> StateAsync(CancellationToken cancellation) => inner.StateAsync(cancellation);
    public Task<IReadOnlyList<ClientEvent>> EventsAsync(long sinceSeq, CancellationToken cancellation) => inner.EventsAsync(sinceSeq, cancellation);
    public Task TransmitAsync(string eventName, JsonElement? data, CancellationToken cancellation) => inner.TransmitAsync(eventName, data, cancellation);
    public Task<CallOutcome> InvokeAsync(string procedure, JsonElement? data, int? ackTimeout, CancellationToken cancellation) => inner.InvokeAsync(procedure, data, ackTimeout, cancellation);
    public Task ReceiverAsync(string name, CancellationToken cancellation) => inner.ReceiverAsync(name, cancellation);
    public Task<IReadOnlyList<ReceivedItem>> ReceivedAsync(string name, CancellationToken cancellation) => inner.ReceivedAsync(name, cancellation);
    public Task ProcedureAsync(string name, ProcedureBehaviour behaviour, CancellationToken cancellation) => inner.ProcedureAsync(name, behaviour, cancellation);
    public Task<string> SubscribeAsync(string channel, JsonObject? options, CancellationToken cancellation) => inner.SubscribeAsync(channel, options, cancellation);
    public Task<IReadOnlyList<ReceivedItem>> PublicationsAsync(string channel, CancellationToken cancellation) => inner.PublicationsAsync(channel, cancellation);
    public Task<string> ChannelStateAsync(string channel, CancellationToken cancellation) => inner.ChannelStateAsync(channel, cancellation);
    public Task UnsubscribeAsync(string channel, CancellationToken cancellation) => inner.UnsubscribeAsync(channel, cancellation);
    public Task<IReadOnlyList<string>> SubscriptionsAsync(bool includePending, CancellationToken cancellation) => inner.SubscriptionsAsync(includePending, cancellation);
    public Task<CallOutcome> PublishAsync(string method, string channel, JsonElement? data, CancellationToken cancellation) => inner.PublishAsync(method, channel, data, cancellation);
    public Task<CallOutcome> AuthenticateAsync(string signedToken, CancellationToken cancellation) => inner.AuthenticateAsync(signedToken, cancellation);
    public Task<CallOutcome> DeauthenticateAsync(CancellationToken cancellation) => inner.DeauthenticateAsync(cancellation);
    public Task DisconnectAsync(int? code, string? reason, CancellationToken cancellation) => inner.DisconnectAsync(code, reason, cancellation);
    public Task ConnectAgainAsync(JsonObject? options, CancellationToken cancellation) => inner.ConnectAgainAsync(options, cancellation);
    public Task ReconnectAsync(int? code, string? reason, CancellationToken cancellation) => inner.ReconnectAsync(code, reason, cancellation);
    public Task ConnectAndDisconnectAsync(int code, string reason, CancellationToken cancellation) => inner.ConnectAndDisconnectAsync(code, reason, cancellation);

    public async ValueTask DisposeAsync()
    {
        try { await inner.DisposeAsync().ConfigureAwait(false); }
        finally
        {
            foreach (var f in proxy.Faults) faults.Enqueue(f);
            await proxy.DisposeAsync().ConfigureAwait(false);
        }
    }
}
