using System.Text.RegularExpressions;
using Conformance.Engine.Catalog;

namespace Conformance.Engine.Drivers.Adapters;

/// <summary>
/// The fixed capability list of the client adapter protocol (spec/client-adapter.md §4) and which scenarios need which
/// capability. The mapping lives here, not in feature tags, so that features need no edit: a client scenario needs a
/// capability when it checks a requirement of that area (by requirement ID prefix) or when one of its steps uses the
/// operation or option the capability stands for. Everything else (connect, disconnect, transmit, invoke, receivers,
/// procedures, events, state) is core: every adapter implements it.
/// </summary>
public static partial class ClientCapabilities
{
    /// <summary>Automatic reconnection (autoReconnect, autoReconnectOptions), reconnect(), connect() on an open socket.</summary>
    public const string Reconnect = "reconnect";

    /// <summary>subscribe/unsubscribe, channel state and publications, transmitPublish/invokePublish (socket and channel).</summary>
    public const string PubSub = "pubsub";

    /// <summary>authenticate/deauthenticate, auth state and tokens, the storedToken and failingTokenStore create options.</summary>
    public const string Auth = "auth";

    /// <summary>Client-side outbound batching: the batchOnHandshake, batchOnHandshakeDuration and batchInterval options.</summary>
    public const string Batching = "batching";

    public static IReadOnlyList<string> All { get; } = [Reconnect, PubSub, Auth, Batching];

    /// <summary>The capabilities <paramref name="scenario"/> needs, in <see cref="All"/> order.</summary>
    public static IReadOnlyList<string> NeededBy(ScenarioCase scenario)
    {
        var ids = scenario.Tags.Where(t => RequirementId().IsMatch(t)).ToList();
        bool Area(params string[] prefixes) => ids.Any(id => prefixes.Any(p => id.StartsWith(p + "-", StringComparison.Ordinal)));
        bool Step(Regex pattern) => scenario.Steps.Any(s => pattern.IsMatch(s.Text));

        var needed = new List<string>();
        if (Area("RC") || Step(ReconnectStep())) needed.Add(Reconnect);
        if (Area("PS", "MW") || Step(PubSubStep())) needed.Add(PubSub);
        if (Area("AU") || Step(AuthStep())) needed.Add(Auth);
        if (Area("BA") && Step(BatchingOption())) needed.Add(Batching);
        return needed;
    }

    [GeneratedRegex("^[A-Z][A-Z0-9]*-[0-9]+$")]
    private static partial Regex RequirementId();

    // "reconnects", reconnect(), autoReconnectOptions, "autoReconnect":true (autoReconnect:false is core: no reconnection).
    [GeneratedRegex("reconnect(s|ing)?\\b(?!\":false)|autoReconnectOptions|\"autoReconnect\":true", RegexOptions.IgnoreCase)]
    private static partial Regex ReconnectStep();

    [GeneratedRegex("\\b(subscribes|unsubscribes|publishes|publications?|subscriptions)\\b|channel \"", RegexOptions.IgnoreCase)]
    private static partial Regex PubSubStep();

    [GeneratedRegex("\\b(authenticates|deauthenticates|auth state|storedToken|failingTokenStore|signed auth token)", RegexOptions.IgnoreCase)]
    private static partial Regex AuthStep();

    // Only the client's own batching options: a batching known-good server is something every client must cope with (BA-002).
    [GeneratedRegex("client \\S+ is (created|connected) with options '[^']*\"(batchOnHandshake|batchInterval)\"")]
    private static partial Regex BatchingOption();
}
