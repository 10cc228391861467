using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Receptionist.Core.Tenants;

namespace Receptionist.Host.Owners;

/// <summary>
/// The admin API under <c>/api/v1</c> (docs/owners.md): a tenant's calls, appointments and messages for its API keys
/// (or an operator key). Tenant isolation is the group's policy (<see cref="TenantAccessRequirement"/>), not each
/// endpoint's; another tenant's resource is 404, like one that does not exist.
/// </summary>
public static class AdminApi
{
    public const int DefaultPageSize = 25;

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("admin");
        var operators = api.MapGroup("/tenants").RequireAuthorization(OwnerAccess.OperatorPolicy);
        operators.MapGet(string.Empty, ListTenants).WithSummary("Every tenant (operator keys, or an Entra token with the operator role).");
        operators.MapPost(string.Empty, CreateTenant).WithSummary("Creates a tenant from a tenant document (operators only).");
        var tenant = api.MapGroup("/tenants/{tenantId}").RequireAuthorization(OwnerAccess.ApiPolicy);
        tenant.MapGet(string.Empty, GetTenant).WithSummary("The tenant's settings, as in a tenant file.");
        tenant.MapPut(string.Empty, PutTenant).WithSummary("Replaces the settings (validated as `tenants import` does; nothing half-saved). Tenant keys cannot change id, numbers or subscription.");
        tenant.MapGet("/calls", Calls).WithSummary("The tenant's calls, newest first, paged; from/to (ISO 8601) bound when they began.");
        tenant.MapGet("/calls/{callId}", Call).WithSummary("One call with its transcript.");
        tenant.MapGet("/appointments", Appointments).WithSummary("Appointments on the local days from..to (yyyy-MM-dd; default: today and the next 6 days).");
        tenant.MapPost("/appointments/{appointmentId}:cancel", Cancel).WithSummary("Cancels a booked appointment; the caller is texted.");
        tenant.MapPost("/appointments/{appointmentId}:move", Move).WithSummary("Moves a booked appointment to {date, time} (local; the slot must be open and free); the caller is texted.");
        tenant.MapGet("/messages", Messages).WithSummary("Messages callers left: unhandled (urgent first), then handled.");
        tenant.MapPost("/messages/{messageId}:handled", Handled).WithSummary("Marks a message handled.");
        return app;
    }

    public static async Task<Results<Ok<Page<CallView>>, ProblemHttpResult>> Calls(string tenantId, string? from, string? to, int? pageSize, string? next,
        OwnerViews views, CancellationToken ct)
    {
        if (await views.TenantAsync(tenantId, ct) is not { } tenant)
        {
            return NoTenant();
        }

        if (!TryInstant(from, "from", out var f, out var problem) || !TryInstant(to, "to", out var t, out problem))
        {
            return problem;
        }

        if (pageSize is < 1 or > OwnerViews.MaxPageSize)
        {
            return Bad($"pageSize must be from 1 to {OwnerViews.MaxPageSize}.");
        }

        try
        {
            return TypedResults.Ok(await views.CallsAsync(tenant, f, t, pageSize ?? DefaultPageSize, next, ct));
        }
        catch (FormatException) when (next is not null)
        {
            return Bad("next is not a token this API gave out.");
        }
    }

    public static async Task<Results<Ok<CallDetailView>, ProblemHttpResult>> Call(string tenantId, string callId, OwnerViews views, CancellationToken ct) =>
        await views.TenantAsync(tenantId, ct) is not { } tenant ? NoTenant()
        : await views.CallAsync(tenant, callId, ct) is { } call ? TypedResults.Ok(call)
        : TypedResults.Problem("No such call.", statusCode: StatusCodes.Status404NotFound);

    public static async Task<Results<Ok<IReadOnlyList<AppointmentView>>, ProblemHttpResult>> Appointments(string tenantId, string? from, string? to,
        OwnerViews views, TimeProvider clock, CancellationToken ct)
    {
        if (await views.TenantAsync(tenantId, ct) is not { } tenant)
        {
            return NoTenant();
        }

        var today = DateOnly.FromDateTime(tenant.ToLocal(clock.GetUtcNow()).DateTime);
        if (!TryDay(from, "from", today, out var first, out var problem) || !TryDay(to, "to", first.AddDays(6), out var last, out problem))
        {
            return problem;
        }

        if (last < first || last.DayNumber - first.DayNumber > 92)
        {
            return Bad("to must be on or after from, and at most 92 days later.");
        }

        return TypedResults.Ok(await views.AppointmentsAsync(tenant, first, last, ct));
    }

    public static async Task<Results<Ok<AppointmentView>, ProblemHttpResult>> Cancel(string tenantId, string appointmentId, OwnerViews views, CancellationToken ct)
    {
        if (await views.TenantAsync(tenantId, ct) is not { } tenant)
        {
            return NoTenant();
        }

        var (appointment, cancelled) = await views.CancelAsync(tenant, appointmentId, "api", ct);
        return appointment is null ? TypedResults.Problem("No such appointment.", statusCode: StatusCodes.Status404NotFound)
            : cancelled || appointment.Status == "cancelled" ? TypedResults.Ok(appointment)
            : TypedResults.Problem($"The appointment is {appointment.Status}, not booked: it cannot be cancelled.", statusCode: StatusCodes.Status409Conflict);
    }

    /// <summary>Where to move an appointment: the business's local day (yyyy-MM-dd) and time (HH:mm).</summary>
    public sealed record MoveTo(string? Date, string? Time);

    public static async Task<Results<Ok<AppointmentView>, ValidationProblem, ProblemHttpResult>> Move(string tenantId, string appointmentId, HttpRequest request,
        OwnerViews views, CancellationToken ct)
    {
        if (await views.TenantAsync(tenantId, ct) is not { } tenant)
        {
            return NoTenant();
        }

        var body = await ReadJsonAsync<MoveTo>(request, JsonSerializerOptions.Web, ct);

        var errors = new List<FieldError>();
        if (!DateOnly.TryParseExact(body?.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || date.Year is < 2000 or > 9000)
        {
            errors.Add(new FieldError("date", "a day yyyy-MM-dd is required"));
        }

        if (!TimeOnly.TryParseExact(body?.Time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            errors.Add(new FieldError("time", "a time HH:mm is required"));
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var (moved, refused) = await views.MoveAsync(tenant, appointmentId, date, time, ct);
        return moved is not null ? TypedResults.Ok(moved)
            : refused is not null ? TypedResults.Problem(refused, statusCode: StatusCodes.Status409Conflict)
            : TypedResults.Problem("No such appointment.", statusCode: StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Ok<IReadOnlyList<MessageView>>, ProblemHttpResult>> Messages(string tenantId, OwnerViews views, CancellationToken ct) =>
        await views.TenantAsync(tenantId, ct) is not { } tenant ? NoTenant() : TypedResults.Ok(await views.MessagesAsync(tenant, ct));

    public static async Task<Results<Ok<MessageView>, ProblemHttpResult>> Handled(string tenantId, string messageId, OwnerViews views, CancellationToken ct) =>
        await views.TenantAsync(tenantId, ct) is not { } tenant ? NoTenant()
        : await views.MarkHandledAsync(tenant, messageId, ct) is { } m ? TypedResults.Ok(m)
        : TypedResults.Problem("No such message.", statusCode: StatusCodes.Status404NotFound);

    public static async Task<Ok<IReadOnlyList<TenantDocument>>> ListTenants(TenantSettings settings, CancellationToken ct) =>
        TypedResults.Ok(await settings.ListAsync(ct));

    public static async Task<Results<Created<TenantDocument>, ValidationProblem, ProblemHttpResult>> CreateTenant(HttpRequest request, TenantSettings settings, CancellationToken ct)
    {
        if (await ReadDocumentAsync(request, ct) is not { } doc)
        {
            return Invalid(BodyError);
        }

        if (doc.Id is { Length: > 0 } id && await settings.GetAsync(id, ct) is not null)
        {
            return TypedResults.Problem($"Tenant '{id}' exists; PUT /api/v1/tenants/{id} changes it.", statusCode: StatusCodes.Status409Conflict);
        }

        var result = await settings.PutAsync(doc, ct);
        return result.Ok ? TypedResults.Created($"/api/v1/tenants/{result.Saved!.Id}", result.Saved) : Invalid(result.Errors);
    }

    public static async Task<Results<Ok<TenantDocument>, ProblemHttpResult>> GetTenant(string tenantId, TenantSettings settings, CancellationToken ct) =>
        await settings.GetAsync(tenantId, ct) is { } doc ? TypedResults.Ok(doc) : NoTenant();

    public static async Task<Results<Ok<TenantDocument>, ValidationProblem, ProblemHttpResult>> PutTenant(string tenantId, HttpRequest request, HttpContext http,
        TenantSettings settings, CancellationToken ct)
    {
        if (await settings.GetAsync(tenantId, ct) is null)
        {
            return NoTenant();
        }

        if (await ReadDocumentAsync(request, ct) is not { } doc)
        {
            return Invalid(BodyError);
        }

        if (doc.Id is { Length: > 0 } id && id != tenantId)
        {
            return Invalid([new FieldError("id", $"'{id}' is not this tenant ('{tenantId}'); leave it out or give the same")]);
        }

        doc.Id = tenantId;
        var result = OwnerAccess.IsOperator(http.User) ? await settings.PutAsync(doc, ct) : await settings.SaveAsync(tenantId, doc, ct);
        return result.Ok ? TypedResults.Ok(result.Saved!) : Invalid(result.Errors);
    }

    private static readonly FieldError[] BodyError = [new(string.Empty, "The body must be a tenant document (JSON object, the fields of a tenant file).")];

    /// <summary>The body as a tenant document with the tenant file's rules (unknown fields refused); null when it is not one.</summary>
    private static Task<TenantDocument?> ReadDocumentAsync(HttpRequest request, CancellationToken ct) =>
        ReadJsonAsync<TenantDocument>(request, TenantDocument.JsonOptions, ct);

    /// <summary>The JSON body as <typeparamref name="T"/>; null when it is not one (the endpoint answers 400 by field).</summary>
    private static async Task<T?> ReadJsonAsync<T>(HttpRequest request, JsonSerializerOptions options, CancellationToken ct)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, options, ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ValidationProblem Invalid(IEnumerable<FieldError> errors) =>
        TypedResults.ValidationProblem(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key.Length > 0 ? g.Key : "$", g => g.Select(e => e.Message).ToArray()),
            detail: "The settings were not saved: fix the fields named.");

    private static ProblemHttpResult NoTenant() => TypedResults.Problem("No such tenant.", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult Bad(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    private static bool TryInstant(string? text, string name, out DateTimeOffset? value, out ProblemHttpResult problem)
    {
        value = null;
        problem = null!;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && text.Length > 10 && HasOffset(text))
        {
            value = parsed;
            return true;
        }

        problem = Bad($"{name}: '{Trim(text)}' is not an ISO 8601 instant with offset, e.g. 2026-11-23T09:00:00-05:00.");
        return false;
    }

    /// <summary>Ends in Z or ±hh:mm: an instant without one would be read in the server's zone.</summary>
    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private static bool TryDay(string? text, string name, DateOnly fallback, out DateOnly value, out ProblemHttpResult problem)
    {
        problem = null!;
        value = fallback;
        if (text is null || (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value) && value.Year is >= 2000 and <= 9000))
        {
            value = text is null ? fallback : value;
            return true;
        }

        problem = Bad($"{name}: '{Trim(text)}' is not a day (yyyy-MM-dd, years 2000 to 9000).");
        return false;
    }

    private static string Trim(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
