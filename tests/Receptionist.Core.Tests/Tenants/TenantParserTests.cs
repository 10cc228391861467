using System.Text.Json;
using System.Text.Json.Nodes;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Tenants;

namespace Receptionist.Core.Tests.Tenants;

public class TenantParserTests
{
    [Fact]
    public void Parse_ReadmeExample_ReturnsTheTenantWithEveryField()
    {
        var result = TenantJson.Parse(TenantJson.Example);

        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Errors));
        var tenant = Assert.Single(result.Tenants).Tenant;
        Assert.Equal("bright-smiles", tenant.Id);
        Assert.Equal("Bright Smiles Dental", tenant.Name);
        Assert.Equal("dentist", tenant.ProfessionId);
        Assert.Equal(["+15550100001"], tenant.PhoneNumbers);
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), tenant.TimeZone);
        Assert.Equal([Range("09:00", "17:00")], tenant.Hours[DayOfWeek.Monday]);
        Assert.Equal([Range("09:00", "12:00"), Range("13:00", "17:00")], tenant.Hours[DayOfWeek.Tuesday]);
        Assert.Empty(tenant.Hours[DayOfWeek.Wednesday]);
        Assert.Empty(tenant.Hours[DayOfWeek.Sunday]);
        Assert.Equal([new DateOnly(2026, 12, 25)], tenant.ClosedDates);
        var service = Assert.Single(tenant.Services!);
        Assert.Equal(("Cleaning", 60, 90m, 150m), (service.Name, service.Minutes, service.PriceMin, service.PriceMax));
        Assert.Equal("Free lot behind the building", tenant.Facts["parking"]);
        Assert.Equal("12 Main St", tenant.Facts["address"]);
        Assert.Equal("+15550109999", tenant.TransferNumber);
        Assert.Equal("+15550109998", tenant.NotifyNumber);
        Assert.Equal(SubscriptionStatus.Active, tenant.Subscription);
        Assert.Equal("en-US", tenant.Language);
        Assert.Equal("en-US-JennyNeural", tenant.Voice);
    }

    [Theory]
    [InlineData(null, VoiceMode.Gather)]
    [InlineData("gather", VoiceMode.Gather)]
    [InlineData("relay", VoiceMode.Relay)]
    [InlineData("Relay", VoiceMode.Relay)]
    [InlineData("stream", VoiceMode.Stream)]
    public void Parse_VoiceMode_IsReadAndStored(string? given, VoiceMode expected)
    {
        var json = TenantJson.Object();
        if (given is not null)
        {
            json["voiceMode"] = given;
        }

        var valid = Assert.Single(TenantJson.Parse(json).Tenants);

        Assert.Equal(expected, valid.Tenant.VoiceMode);
        Assert.Equal(expected, TenantParser.FromStored(valid.Document, _ => true).VoiceMode);
    }

    [Fact]
    public void Parse_ArrayOfTenants_ReturnsEachInFileOrder()
    {
        var result = TenantJson.Parse(new JsonArray(TenantJson.Object(), TenantJson.Other()));

        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(["bright-smiles", "quick-fix"], result.Tenants.Select(t => t.Tenant.Id));
        Assert.Equal(["+15550100002"], result.Tenants[1].Tenant.PhoneNumbers);
    }

    [Theory]
    [InlineData("(555) 010-0001")]
    [InlineData("555-010-0001")]
    [InlineData("+1 555 010 0001")]
    [InlineData("1 555 010 0001")]
    public void Parse_NumberInAnotherSpelling_NormalisesToE164(string spelling)
    {
        var json = TenantJson.Object();
        json["phoneNumbers"] = new JsonArray(spelling);

        var valid = Assert.Single(TenantJson.Parse(json).Tenants);

        Assert.Equal(["+15550100001"], valid.Tenant.PhoneNumbers);
        Assert.Equal(["+15550100001"], valid.Document.PhoneNumbers);
    }

    [Fact]
    public void Parse_SameNumberListedInTwoSpellings_KeepsItOnce()
    {
        var json = TenantJson.Object();
        json["phoneNumbers"] = new JsonArray("+15550100001", "(555) 010-0001");

        var tenant = Assert.Single(TenantJson.Parse(json).Tenants).Tenant;

        Assert.Equal(["+15550100001"], tenant.PhoneNumbers);
    }

    [Fact]
    public void Parse_TransferAndNotifyNumbersInNationalSpelling_NormalisesToE164()
    {
        var tenant = TenantJson.Tenant(j =>
        {
            j["transferNumber"] = "(555) 010-9999";
            j["notifyNumber"] = "555.010.9998";
        });

        Assert.Equal("+15550109999", tenant.TransferNumber);
        Assert.Equal("+15550109998", tenant.NotifyNumber);
    }

    [Fact]
    public void Parse_OptionalFieldsLeftOut_UsesDefaults()
    {
        var tenant = TenantJson.Tenant(j =>
        {
            foreach (var field in new[] { "services", "closedDates", "facts", "transferNumber", "notifyNumber", "subscription", "language", "voice" })
            {
                j.Remove(field);
            }
        });

        Assert.Null(tenant.Services); // the profession's default services apply
        Assert.Empty(tenant.ClosedDates);
        Assert.Empty(tenant.Facts);
        Assert.Null(tenant.TransferNumber);
        Assert.Null(tenant.NotifyNumber);
        Assert.Equal(SubscriptionStatus.Active, tenant.Subscription);
        Assert.Equal("en-US", tenant.Language);
        Assert.Equal(string.Empty, tenant.Voice); // the profession's voice applies
    }

    [Fact]
    public void VoiceFor_TenantWithoutAVoice_TheProfessionsVoice()
    {
        var profession = Professions.TestProfession.Dentist() with { Voice = "en-US-AriaNeural" };
        var without = TenantJson.Tenant(j => j.Remove("voice"));
        var own = TenantJson.Tenant(j => j["voice"] = "en-US-GuyNeural");

        Assert.Equal("en-US-AriaNeural", profession.VoiceFor(without));
        Assert.Equal("en-US-GuyNeural", profession.VoiceFor(own));
        var json = TenantJson.Object();
        json.Remove("voice");
        Assert.Null(Assert.Single(TenantJson.Parse(json).Tenants).Document.Voice); // stored without one, so it follows the profession
    }

    [Fact]
    public void Parse_InactiveSubscriptionInAnyCase_IsInactive()
    {
        var tenant = TenantJson.Tenant(j => j["subscription"] = "Inactive");

        Assert.Equal(SubscriptionStatus.Inactive, tenant.Subscription);
    }

    [Fact]
    public void Parse_HoursListedOutOfOrder_AreSortedInTenantAndDocument()
    {
        var json = TenantJson.Object();
        json["hours"]!["tue"] = new JsonArray("13:00-17:00", "09:00-12:00");

        var valid = Assert.Single(TenantJson.Parse(json).Tenants);

        Assert.Equal([Range("09:00", "12:00"), Range("13:00", "17:00")], valid.Tenant.Hours[DayOfWeek.Tuesday]);
        Assert.Equal(["09:00-12:00", "13:00-17:00"], valid.Document.Hours!["tue"]);
    }

    [Fact]
    public void Parse_DayLeftOutOfHours_IsClosedThatDay()
    {
        var json = TenantJson.Object();
        json["hours"]!.AsObject().Remove("mon");

        var tenant = Assert.Single(TenantJson.Parse(json).Tenants).Tenant;

        Assert.Empty(tenant.Hours[DayOfWeek.Monday]);
    }

    [Fact]
    public void Parse_ClosingRangeTouchingTheNextOpening_IsNotAnOverlap()
    {
        var json = TenantJson.Object();
        json["hours"]!["tue"] = new JsonArray("09:00-12:00", "12:00-17:00");

        Assert.True(TenantJson.Parse(json).Ok);
    }

    [Theory]
    // property path (dot-separated), replacement JSON (null removes the property), the path the error must name
    [InlineData("id", null, "$.id")]
    [InlineData("id", "\"Bright Smiles\"", "$.id")]
    [InlineData("id", "\"b\"", "$.id")]
    [InlineData("id", "\"-bright\"", "$.id")]
    [InlineData("name", null, "$.name")]
    [InlineData("name", "\"   \"", "$.name")]
    [InlineData("profession", null, "$.profession")]
    [InlineData("profession", "\"astronaut\"", "$.profession")]
    [InlineData("phoneNumbers", null, "$.phoneNumbers")]
    [InlineData("phoneNumbers", "[]", "$.phoneNumbers")]
    [InlineData("phoneNumbers", "[\"+15550100001\", \"call the front desk\"]", "$.phoneNumbers[1]")]
    [InlineData("phoneNumbers", "[\"12\"]", "$.phoneNumbers[0]")]
    [InlineData("timeZone", null, "$.timeZone")]
    [InlineData("timeZone", "\"Mars/Olympus_Mons\"", "$.timeZone")]
    [InlineData("timeZone", "\"\"", "$.timeZone")]
    [InlineData("hours", null, "$.hours")]
    [InlineData("hours.monday", "[\"09:00-17:00\"]", "$.hours.monday")]
    [InlineData("hours.tue", "[\"9-5\"]", "$.hours.tue[0]")]
    [InlineData("hours.tue", "[\"09:00-12:00\", \"1pm to 5pm\"]", "$.hours.tue[1]")]
    [InlineData("hours.tue", "[\"09:00\"]", "$.hours.tue[0]")]
    [InlineData("hours.tue", "[\"25:00-26:00\"]", "$.hours.tue[0]")]
    [InlineData("hours.tue", "[\"17:00-09:00\"]", "$.hours.tue[0]")]
    [InlineData("hours.tue", "[\"09:00-09:00\"]", "$.hours.tue[0]")]
    [InlineData("hours.tue", "[\"09:00-12:00\", \"11:30-17:00\"]", "$.hours.tue")]
    [InlineData("hours.tue", "[\"09:00-17:00\", \"10:00-11:00\"]", "$.hours.tue")]
    [InlineData("closedDates", "[\"25/12/2026\"]", "$.closedDates[0]")]
    [InlineData("closedDates", "[\"2026-12-24\", \"2026-02-30\"]", "$.closedDates[1]")]
    [InlineData("services", "[{ \"name\": \"Cleaning\", \"minutes\": 50 }]", "$.services[0].minutes")]
    [InlineData("services", "[{ \"name\": \"Cleaning\" }]", "$.services[0].minutes")]
    [InlineData("services", "[{ \"name\": \"Cleaning\", \"minutes\": 0 }]", "$.services[0].minutes")]
    [InlineData("services", "[{ \"name\": \"Cleaning\", \"minutes\": 495 }]", "$.services[0].minutes")]
    [InlineData("services", "[{ \"name\": \"Cleaning\", \"minutes\": -15 }]", "$.services[0].minutes")]
    [InlineData("services", "[{ \"name\": \"Cleaning\", \"minutes\": 60, \"priceMin\": 150, \"priceMax\": 90 }]", "$.services[0].priceMin")]
    [InlineData("services", "[{ \"name\": \"Cleaning\", \"minutes\": 60, \"priceMin\": -5 }]", "$.services[0].priceMin")]
    [InlineData("services", "[{ \"minutes\": 60 }]", "$.services[0].name")]
    [InlineData("services", "[{ \"name\": \"Cleaning\", \"minutes\": 60 }, { \"name\": \"cleaning\", \"minutes\": 30 }]", "$.services[1].name")]
    [InlineData("services", "[]", "$.services")]
    [InlineData("transferNumber", "\"+15550100001\"", "$.transferNumber")]
    [InlineData("transferNumber", "\"(555) 010-0001\"", "$.transferNumber")]
    [InlineData("transferNumber", "\"the manager\"", "$.transferNumber")]
    [InlineData("notifyNumber", "\"sms me\"", "$.notifyNumber")]
    [InlineData("subscription", "\"trial\"", "$.subscription")]
    [InlineData("language", "\"english\"", "$.language")]
    [InlineData("language", "\"en_US\"", "$.language")]
    [InlineData("voiceMode", "\"stream-ish\"", "$.voiceMode")]
    public void Parse_InvalidField_RejectsNamingFileAndField(string property, string? replacementJson, string path)
    {
        var json = TenantJson.Object();
        Set(json, property, replacementJson);

        var result = TenantJson.Parse(json);

        AssertRejected(result, $"t.json: {path}:");
    }

    [Fact]
    public void Parse_InvalidFieldInSecondTenantOfArray_NamesItsIndex()
    {
        var second = TenantJson.Other();
        second["hours"]!["tue"] = new JsonArray("09:00-12:00", "noon-17:00");

        var result = TenantJson.Parse(new JsonArray(TenantJson.Object(), second));

        AssertRejected(result, "t.json: $[1].hours.tue[1]:");
    }

    [Fact]
    public void Parse_OneInvalidTenantInArray_ImportsNoneOfThem()
    {
        var second = TenantJson.Other();
        second["timeZone"] = "Eastern";

        var result = TenantJson.Parse(new JsonArray(TenantJson.Object(), second, TenantJson.Other("third-one", "+15550100003")));

        Assert.False(result.Ok);
        Assert.Empty(result.Tenants);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOne()
    {
        var json = TenantJson.Object();
        json["name"] = "";
        json["timeZone"] = "Nowhere/Special";
        json["hours"]!["fri"] = new JsonArray("5pm");

        var result = TenantJson.Parse(new JsonArray(json));

        Assert.Empty(result.Tenants);
        Assert.Contains(result.Errors, e => e.StartsWith("t.json: $[0].name:", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("t.json: $[0].timeZone:", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("t.json: $[0].hours.fri[0]:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, 24)]
    [InlineData(0, 0)]
    [InlineData(2, 2)]
    [InlineData(168, 168)]
    public void Parse_ReminderHoursBefore_IsTheReminderLead(int? given, int expectedHours)
    {
        var json = TenantJson.Object();
        if (given is not null)
        {
            json["reminderHoursBefore"] = given;
        }

        var valid = Assert.Single(TenantJson.Parse(json).Tenants);

        Assert.Equal(TimeSpan.FromHours(expectedHours), valid.Tenant.ReminderLead);
        Assert.Equal(TimeSpan.FromHours(expectedHours), TenantParser.FromStored(valid.Document, _ => true).ReminderLead);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(169)]
    public void Parse_ReminderHoursBeforeOutOfRange_NamesTheField(int given)
    {
        var json = TenantJson.Object();
        json["reminderHoursBefore"] = given;

        var error = Assert.Single(TenantJson.Parse(json).Errors);

        Assert.Contains("reminderHoursBefore", error, StringComparison.Ordinal);
        Assert.Contains(given.ToString(System.Globalization.CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData(0, 0)]
    [InlineData(15, 15)]
    [InlineData(240, 240)]
    public void Parse_OwnerAlertBatchMinutes_IsTheBatchWindowAndIsKept(int? given, int expectedMinutes)
    {
        var json = TenantJson.Object();
        if (given is not null)
        {
            json["ownerAlertBatchMinutes"] = given;
        }

        var valid = Assert.Single(TenantJson.Parse(json).Tenants);

        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), valid.Tenant.OwnerAlertBatch);
        Assert.Equal(given, valid.Document.OwnerAlertBatchMinutes); // round-trips: settings API, `tenants export`
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), TenantParser.FromStored(valid.Document, _ => true).OwnerAlertBatch);
        Assert.Equal(given, Assert.Single(TenantJson.Parse(valid.Document.ToJson()).Tenants).Document.OwnerAlertBatchMinutes);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(241)]
    public void Parse_OwnerAlertBatchMinutesOutOfRange_ErrorNamesFileAndField(int given)
    {
        var json = TenantJson.Object();
        json["ownerAlertBatchMinutes"] = given;

        var error = Assert.Single(TenantJson.Parse(json).Errors);

        Assert.StartsWith("t.json: $.ownerAlertBatchMinutes: ", error, StringComparison.Ordinal);
        Assert.Contains(given.ToString(System.Globalization.CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
        Assert.Contains("0 (each message at once) to 240", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"soon\"")]
    [InlineData("1.5")]
    [InlineData("true")]
    public void Parse_OwnerAlertBatchMinutesNotAWholeNumber_ErrorNamesFileAndField(string given)
    {
        var json = TenantJson.Object();
        json["ownerAlertBatchMinutes"] = JsonNode.Parse(given);

        var error = Assert.Single(TenantJson.Parse(json).Errors);

        Assert.StartsWith("t.json: $.ownerAlertBatchMinutes: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ErrorMessage_QuotesTheOffendingValue()
    {
        var json = TenantJson.Object();
        json["hours"]!["tue"] = new JsonArray("9-5");

        var error = Assert.Single(TenantJson.Parse(json).Errors);

        Assert.Contains("'9-5'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownProperty_RejectsNamingIt()
    {
        var json = TenantJson.Object();
        json["colour"] = "blue";

        var result = TenantJson.Parse(json);

        Assert.Empty(result.Tenants);
        Assert.StartsWith("t.json: $.colour:", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownPropertyInsideAService_RejectsNamingIt()
    {
        var json = TenantJson.Object();
        json["services"]![0]!["duration"] = 60;

        var result = TenantJson.Parse(new JsonArray(TenantJson.Other(), json));

        Assert.Empty(result.Tenants);
        Assert.StartsWith("t.json: $[1].services[0].duration:", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FieldOfWrongJsonType_NamesTheField()
    {
        var json = TenantJson.Object();
        json["services"]![0]!["minutes"] = "sixty";

        var result = TenantJson.Parse(json);

        Assert.Empty(result.Tenants);
        Assert.StartsWith("t.json: $.services[0].minutes:", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{ \"id\": \"bright-smiles\", ")]
    [InlineData("")]
    public void Parse_NotJson_RejectsNamingTheFile(string text)
    {
        var result = TenantJson.Parse(text);

        Assert.Empty(result.Tenants);
        Assert.StartsWith("t.json: $", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"bright-smiles\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Parse_JsonThatIsNeitherObjectNorArray_Rejects(string text)
    {
        var result = TenantJson.Parse(text);

        Assert.Empty(result.Tenants);
        Assert.StartsWith("t.json: $:", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyArray_RejectsAsHoldingNoTenants()
    {
        var result = TenantJson.Parse("[]");

        Assert.False(result.Ok);
        Assert.Empty(result.Tenants);
        Assert.StartsWith("t.json: $:", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameIdTwice_RejectsTheSecond()
    {
        var result = TenantJson.Parse(new JsonArray(TenantJson.Object(), TenantJson.Other(id: "bright-smiles")));

        AssertRejected(result, "t.json: $[1].id:");
    }

    [Fact]
    public void Parse_SameNumberOnTwoTenants_RejectsTheSecond()
    {
        var result = TenantJson.Parse(new JsonArray(TenantJson.Object(), TenantJson.Other(number: "(555) 010-0001")));

        AssertRejected(result, "t.json: $[1].phoneNumbers:");
        Assert.Contains("+15550100001", result.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CommentsAndTrailingCommas_AreAccepted()
    {
        var json = TenantJson.Example.Replace("\"voice\": \"en-US-JennyNeural\" }", "\"voice\": \"en-US-JennyNeural\", // default voice\n }", StringComparison.Ordinal);

        var result = TenantJson.Parse(json);

        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void FromStored_ParsedDocument_RebuildsTheSameTenant()
    {
        var json = TenantJson.Object();
        json["phoneNumbers"] = new JsonArray("(555) 010-0001", "555 010 0003");
        json["hours"]!["tue"] = new JsonArray("13:00-17:00", "09:00-12:00");
        json["closedDates"] = new JsonArray("2026-12-25", "2026-11-26");
        var parsed = Assert.Single(TenantJson.Parse(json).Tenants);

        var stored = JsonSerializer.Deserialize<TenantDocument>(parsed.Document.ToJson(), TenantDocument.JsonOptions)!;
        var rebuilt = TenantParser.FromStored(stored, TenantJson.ProfessionExists);

        var original = parsed.Tenant;
        Assert.Equal(original.Id, rebuilt.Id);
        Assert.Equal(original.Name, rebuilt.Name);
        Assert.Equal(original.ProfessionId, rebuilt.ProfessionId);
        Assert.Equal(["+15550100001", "+15550100003"], rebuilt.PhoneNumbers);
        Assert.Equal(original.TimeZone, rebuilt.TimeZone);
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            Assert.Equal(original.Hours[day], rebuilt.Hours[day]);
        }

        Assert.Equal(original.ClosedDates.Order(), rebuilt.ClosedDates.Order());
        Assert.Equal(original.Services!, rebuilt.Services!, (a, b) =>
            (a.Name, a.Minutes, a.PriceMin, a.PriceMax) == (b.Name, b.Minutes, b.PriceMin, b.PriceMax) && a.Synonyms.SequenceEqual(b.Synonyms));
        Assert.Equal(original.Facts, rebuilt.Facts);
        Assert.Equal(original.TransferNumber, rebuilt.TransferNumber);
        Assert.Equal(original.NotifyNumber, rebuilt.NotifyNumber);
        Assert.Equal(original.Subscription, rebuilt.Subscription);
        Assert.Equal(original.Language, rebuilt.Language);
        Assert.Equal(original.Voice, rebuilt.Voice);
    }

    [Fact]
    public void FromStored_DocumentThatNoLongerValidates_ThrowsNamingTenantAndField()
    {
        var stored = Assert.Single(TenantJson.Parse(TenantJson.Example).Tenants).Document;
        stored.Profession = "astronaut"; // e.g. the profession file was removed since the import

        var ex = Assert.Throws<InvalidDataException>(() => TenantParser.FromStored(stored, TenantJson.ProfessionExists));

        Assert.Contains("tenant 'bright-smiles'.profession", ex.Message, StringComparison.Ordinal);
    }

    private static TimeRange Range(string start, string end) => new(TimeOnly.Parse(start, null), TimeOnly.Parse(end, null));

    private static void AssertRejected(TenantParseResult result, string errorPrefix)
    {
        Assert.False(result.Ok);
        Assert.Empty(result.Tenants);
        Assert.True(
            result.Errors.Any(e => e.StartsWith(errorPrefix, StringComparison.Ordinal)),
            $"expected an error starting with '{errorPrefix}', got:{Environment.NewLine}{string.Join(Environment.NewLine, result.Errors)}");
    }

    private static void Set(JsonObject root, string path, string? replacementJson)
    {
        var keys = path.Split('.');
        var parent = root;
        foreach (var key in keys[..^1])
        {
            parent = parent[key]!.AsObject();
        }

        if (replacementJson is null)
        {
            parent.Remove(keys[^1]);
        }
        else
        {
            parent[keys[^1]] = JsonNode.Parse(replacementJson);
        }
    }
}
