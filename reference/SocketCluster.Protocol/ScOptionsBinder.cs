using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace SocketCluster.Protocol;

/// <summary>
/// Binds a configuration section (e.g. appsettings.json <c>"SocketCluster": { "pingInterval": 8000 }</c>) onto server
/// or client options by their official names (camelCase, matched without regard to case). Unlike the stock binder:
/// <list type="bullet">
/// <item>a duration given as a plain number is milliseconds, the official unit (the stock binder reads "8000" as
/// 8000 days); a TimeSpan in the invariant "c" format ("00:00:10") is taken as is; anything else is an error;</item>
/// <item>a key that names no option is an error naming the key (a typo such as "pingIntervall" is never ignored);</item>
/// <item>options that only code can supply (a broker, an auth engine, serializer options...) are an error too.</item>
/// </list>
/// Errors come from <c>fail(option, message)</c>, so each side throws its own options exception.
/// </summary>
public static class ScOptionsBinder
{
    /// <summary>Binds <paramref name="section"/> onto <paramref name="options"/> (its public settable properties, init ones included).</summary>
    /// <param name="fail">Makes the exception for an option name (camelCase, dotted for nested options) and a message.</param>
    public static void Bind<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicMethods)] T>(
        IConfiguration section, T options, Func<string, string, Exception> fail) where T : class
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fail);
        BindObject(section, options, typeof(T), "", fail);
    }

    private static void BindObject(IConfiguration section, object target,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicMethods)] Type type,
        string prefix, Func<string, string, Exception> fail)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => OptionName(p.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                var near = properties.Keys.Where(k => Distance(k.ToLowerInvariant(), child.Key.ToLowerInvariant()) <= 2).ToList();
                throw fail(prefix + child.Key,
                    $"'{child.Path}' is not an option{(near.Count > 0 ? $" (did you mean '{prefix}{near[0]}'?)" : "")}; " +
                    $"the options are {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}");
            }
            var option = prefix + OptionName(property.Name);
            property.SetValue(target, Convert(child, property.PropertyType, property.GetValue(target), option, fail));
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Nested option types are records whose public properties the options types reference.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Nested option records keep their compiler-generated clone method.")]
    private static object? Convert(IConfigurationSection entry, Type type, object? current, string option, Func<string, string, Exception> fail)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        var nullable = underlying is not null || !type.IsValueType;
        var target = underlying ?? type;
        var value = entry.Value;
        var hasChildren = entry.GetChildren().Any();

        if (target == typeof(string[]) || target == typeof(IReadOnlyList<string>) || target == typeof(List<string>))
        {
            // An array section ("authVerifyAlgorithms": ["HS256"]) or one comma-separated string.
            string[] items = hasChildren
                ? [.. entry.GetChildren().Select(c => c.Value ?? throw fail(option, $"'{c.Path}' must be a string"))]
                : value is { Length: > 0 } ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
            if (!hasChildren && string.IsNullOrEmpty(value)) return null;
            return target == typeof(List<string>) ? items.ToList() : items;
        }

        if (hasChildren)
        {
            // A nested options record (the client's autoReconnectOptions): bound onto a copy of the current value.
            if (target.IsClass && target != typeof(string) && target.GetConstructor(Type.EmptyTypes) is { } constructor
                && !typeof(System.Collections.IEnumerable).IsAssignableFrom(target))
            {
                var copy = current is not null && target.GetMethod("<Clone>$") is { } clone ? clone.Invoke(current, null)! : constructor.Invoke(null);
                BindObject(entry, copy, target, option + ".", fail);
                return copy;
            }
            throw fail(option, $"'{entry.Path}' must be a single value, not a section");
        }

        if (string.IsNullOrEmpty(value))
            return nullable && target != typeof(string) ? null
                : target == typeof(string) ? value
                : throw fail(option, $"'{entry.Path}' needs a value");

        var invariant = CultureInfo.InvariantCulture;
        if (target == typeof(string)) return value;
        if (target == typeof(bool))
            return bool.TryParse(value, out var b) ? b : throw fail(option, $"'{entry.Path}' must be true or false, got \"{value}\"");
        if (target == typeof(int))
            return int.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out var i) ? i
                : throw fail(option, $"'{entry.Path}' must be a whole number, got \"{value}\"");
        if (target == typeof(long))
            return long.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out var l) ? l
                : throw fail(option, $"'{entry.Path}' must be a whole number, got \"{value}\"");
        if (target == typeof(double))
            return double.TryParse(value, NumberStyles.Float, invariant, out var d) && double.IsFinite(d) ? d
                : throw fail(option, $"'{entry.Path}' must be a number, got \"{value}\"");
        if (target == typeof(TimeSpan)) return ParseDuration(entry, option, fail);
        if (target.IsEnum)
        {
            // By name only: a number would bind any undefined value.
            if (!char.IsAsciiDigit(value[0]) && value[0] != '-' && Enum.TryParse(target, value, ignoreCase: true, out var e)) return e;
            throw fail(option, $"'{entry.Path}' must be one of {string.Join(", ", Enum.GetNames(target))}, got \"{value}\"");
        }
        throw fail(option, $"'{entry.Path}' cannot be set from configuration ({target.Name}); set it in code");
    }

    /// <summary>
    /// A plain number is milliseconds (the official unit; fractions allowed); otherwise a TimeSpan in the invariant
    /// "c" format, [-][d.]hh:mm:ss[.fffffff]. The stock binder would read "8000" as 8000 days.
    /// </summary>
    public static TimeSpan ParseDuration(IConfigurationSection entry, string option, Func<string, string, Exception> fail)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(fail);
        var value = entry.Value ?? "";
        if (double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var ms))
            return ms is >= -922337203685477d and <= 922337203685477d
                ? TimeSpan.FromMilliseconds(ms)
                : throw fail(option, $"'{entry.Path}' is out of range: {value} ms");
        if (value.Contains(':') && TimeSpan.TryParseExact(value, "c", CultureInfo.InvariantCulture, out var span)) return span;
        throw fail(option, $"'{entry.Path}' must be a number of milliseconds (e.g. 8000) or a TimeSpan such as \"00:00:08\", got \"{value}\"");
    }

    /// <summary>The official name of a property: PingInterval → pingInterval.</summary>
    public static string OptionName(string propertyName) =>
        propertyName.Length == 0 ? propertyName : char.ToLowerInvariant(propertyName[0]) + propertyName[1..];

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
