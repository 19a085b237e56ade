using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBench.Apps;

/// <summary>
/// Turns a static C# method into a <see cref="FrappeMethod"/>: keyword arguments are bound to
/// parameters by name (a C# <c>limitStart</c> takes the keyword <c>limit_start</c>) with Frappe's coercions (JSON text for structured parameters,
/// <c>"true"/"false"/"1"/"0"</c> for bools, numeric strings for numbers). Unknown keys are
/// dropped unless the method takes a <c>JsonObject kwargs</c>; <c>ignore_permissions</c> and
/// <c>flags</c> never reach a method. <see cref="FrappeContext"/> and
/// <see cref="CancellationToken"/> parameters are supplied by the caller.
/// </summary>
public static class MethodBinder
{
    private static readonly string[] Stripped = ["ignore_permissions", "flags", "cmd"];

    public static FrappeMethod Create(string name, MethodInfo method, WhitelistAttribute? whitelist)
    {
        if (!method.IsStatic)
            throw new InvalidOperationException($"{method.DeclaringType?.FullName}.{method.Name}: whitelisted methods must be static");
        var call = Bind(method, name[(name.LastIndexOf('.') + 1)..]);
        return new FrappeMethod(name, (context, kwargs, ct) => call(null, context, null, kwargs, ct), whitelist);
    }

    /// <summary>
    /// Binds a static method, or an instance method called on <c>target</c> (a controller's
    /// whitelisted document method). A <see cref="Model.Document"/> parameter receives the
    /// document the method runs on.
    /// </summary>
    internal static Func<object?, FrappeContext, Model.Document?, JsonObject, CancellationToken, Task<object?>> Bind(MethodInfo method, string shortName)
    {
        var parameters = method.GetParameters();
        var keys = parameters.Select(p => SnakeCase(p.Name!)).ToArray();
        return async (target, context, doc, kwargs, ct) =>
        {
            var args = new object?[parameters.Length];
            var missing = new List<string>();
            for (var i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                if (p.ParameterType == typeof(FrappeContext))
                    args[i] = context;
                else if (p.ParameterType == typeof(CancellationToken))
                    args[i] = ct;
                else if (p.ParameterType == typeof(Model.Document) && doc is not null)
                    args[i] = doc;
                else if (p.ParameterType == typeof(JsonObject) && p.Name == "kwargs")
                    args[i] = WithoutStripped(kwargs);
                else if (!Stripped.Contains(keys[i]) && kwargs.TryGetPropertyValue(keys[i], out var node))
                    args[i] = Coerce(p, keys[i], node);
                else if (p.HasDefaultValue)
                    args[i] = p.DefaultValue;
                else if (!IsNullable(p))
                    missing.Add(keys[i]);
            }
            if (missing.Count > 0)
            {
                var plural = missing.Count == 1 ? "argument" : "arguments";
                throw new FrappeArgumentError(
                    $"{shortName}() missing {missing.Count} required positional {plural}: {string.Join(" and ", missing.Select(r => $"'{r}'"))}");
            }
            object? result;
            try
            {
                result = method.Invoke(target, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
            return await Unwrap(result);
        };
    }

    private static JsonObject WithoutStripped(JsonObject kwargs)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in kwargs)
            if (!Stripped.Contains(k))
                copy[k] = v?.DeepClone();
        return copy;
    }

    /// <summary>A parameter declared nullable (<c>string?</c>, <c>int?</c>) is optional and arrives as null when absent.</summary>
    private static bool IsNullable(ParameterInfo p) =>
        Nullable.GetUnderlyingType(p.ParameterType) is not null
        || (!p.ParameterType.IsValueType && new NullabilityInfoContext().Create(p).WriteState == NullabilityState.Nullable);

    private static async Task<object?> Unwrap(object? result)
    {
        switch (result)
        {
            case null:
                return null;
            case Task task:
                await task;
                var type = task.GetType();
                if (type.IsGenericType && type.GetProperty("Result") is { } prop && prop.PropertyType.Name != "VoidTaskResult")
                    return prop.GetValue(task);
                return null;
            case ValueTask vt:
                await vt;
                return null;
            default:
                var t = result.GetType();
                if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ValueTask<>))
                    return await (Task<object?>)typeof(MethodBinder).GetMethod(nameof(AwaitValueTask), BindingFlags.NonPublic | BindingFlags.Static)!
                        .MakeGenericMethod(t.GetGenericArguments()[0]).Invoke(null, [result])!;
                return result;
        }
    }

    private static async Task<object?> AwaitValueTask<T>(ValueTask<T> task) => await task;

    /// <summary>Converts one keyword argument to a parameter's type, or throws FrappeTypeError (417).</summary>
    public static object? Coerce(ParameterInfo p, string key, JsonNode? node)
    {
        var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
        if (node is null || node.GetValueKind() == JsonValueKind.Null)
        {
            if (!p.ParameterType.IsValueType || Nullable.GetUnderlyingType(p.ParameterType) is not null)
                return null;
            return p.HasDefaultValue ? p.DefaultValue : Fail(key, type, node);
        }
        if (type == typeof(JsonNode))
            return node.DeepClone();
        var kind = node.GetValueKind();
        var text = kind == JsonValueKind.String ? node.GetValue<string>() : null;
        if (type == typeof(string))
            return text ?? node.ToJsonString();
        if (type == typeof(bool))
        {
            if (kind == JsonValueKind.True)
                return true;
            if (kind == JsonValueKind.False)
                return false;
            if (kind == JsonValueKind.Number)
                return node.GetValue<double>() != 0;
            return text?.Trim().ToLowerInvariant() switch
            {
                "true" or "1" or "yes" or "on" => true,
                "false" or "0" or "no" or "off" => false,
                _ => Fail(key, type, node),
            };
        }
        if (type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal))
        {
            var raw = kind == JsonValueKind.Number ? node.ToJsonString() : text?.Trim();
            if (raw is null)
                return Fail(key, type, node);
            try
            {
                if (type == typeof(double))
                    return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (type == typeof(decimal))
                    return decimal.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
                // Python's int() accepts "3" and a float that is whole, not "3.5".
                var d = decimal.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (d != decimal.Truncate(d))
                    return Fail(key, type, node);
                return type == typeof(int) ? (object)checked((int)d) : checked((long)d);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                return Fail(key, type, node);
            }
        }
        if (type == typeof(JsonObject) || type == typeof(JsonArray))
        {
            var value = text is not null ? ParseJson(text) : node.DeepClone();
            if (value is not null && value.GetType() == type)
                return value;
            // A bare string where a list is wanted is taken as a one-item list, as Frappe's helpers do.
            if (type == typeof(JsonArray) && text is not null && value is null)
                return new JsonArray(text);
            return Fail(key, type, node);
        }
        if (type == typeof(string[]) || type == typeof(List<string>))
        {
            var value = text is not null ? ParseJson(text) ?? new JsonArray(text) : node;
            if (value is JsonArray a && a.All(x => x is JsonValue v && v.GetValueKind() == JsonValueKind.String))
            {
                var list = a.Select(x => x!.GetValue<string>()).ToList();
                return type == typeof(string[]) ? list.ToArray() : list;
            }
            return Fail(key, type, node);
        }
        throw new InvalidOperationException($"Parameter '{key}' of type {type.Name} cannot be bound from a request");
    }

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return Model.ClientText.Check(JsonNode.Parse(text));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>limitStart</c> → <c>limit_start</c>; names already in snake case stay as they are.</summary>
    public static string SnakeCase(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                if (sb.Length > 0)
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static object Fail(string key, Type type, JsonNode? node) =>
        throw new FrappeTypeError($"Argument '{key}' should be of type '{PythonName(type)}' but got '{PythonName(node)}' instead.");

    private static string PythonName(Type t) =>
        t == typeof(bool) ? "bool"
        : t == typeof(int) || t == typeof(long) ? "int"
        : t == typeof(double) || t == typeof(decimal) ? "float"
        : t == typeof(JsonObject) ? "dict"
        : t == typeof(JsonArray) || t == typeof(string[]) || t == typeof(List<string>) ? "list"
        : "str";

    private static string PythonName(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "NoneType",
        JsonValueKind.String => "str",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Number => node.ToJsonString().Contains('.', StringComparison.Ordinal) ? "float" : "int",
        JsonValueKind.Array => "list",
        _ => "dict",
    };
}
