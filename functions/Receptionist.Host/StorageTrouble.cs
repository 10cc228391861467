namespace Receptionist.Host;

/// <summary>The failures that mean "storage (or a dependency) is unavailable", as opposed to a bug.</summary>
public static class StorageTrouble
{
    public static bool Is(Exception ex) => ex switch
    {
        Azure.RequestFailedException or HttpRequestException or TimeoutException or Core.Storage.CallConcurrencyException => true,
        AggregateException all => all.InnerExceptions.All(Is), // the storage client's retries, all failed
        TaskCanceledException t => t.InnerException is TimeoutException, // the storage client's own network timeout
        _ => false, // a bug is a bug: it is logged as one and answered as a 500, not hidden behind "storage is down"
    };
}
