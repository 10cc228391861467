using System.Globalization;
using Receptionist.Core.Professions;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;

namespace Receptionist.Core.Conversation;

/// <summary>
/// Answers callers' questions from the business's own data only: its hours and closed dates, address and parking,
/// services, prices and durations, the owner's facts and the profession's FAQ. A question nothing here answers gets
/// null, and the engine says so honestly instead of guessing. The answers are worded by the profession's answer*
/// prompts (overridable per tenant); amounts by its money and priceRange prompts.
/// </summary>
public static class FrontDesk
{
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    private static readonly QuestionTopic[] BuiltIn =
    [
        new(Topics.OpenNow, "whether the business is open right now", ["open now", "open right now", "are you open", "still open", "you open"]),
        new(Topics.Hours, "opening hours, on a given day or in general", ["hours", "open", "opening", "close", "closing", "closed", "what time do you", "do you work", "are you working", "you guys work",
            "what days are you open", "which days are you open", "what days do you", "which days do you", "days are you open"]),
        new(Topics.Address, "where the business is", ["address", "where are you", "located", "location", "directions", "find you", "where is"]),
        new(Topics.Parking, "where to park", ["parking", "park"]),
        new(Topics.Prices, "how much services cost", ["how much", "price", "prices", "cost", "costs", "charge", "fee", "rates", "usually run", "run me", "set me back", "what does it run",
            "what does * run", "what do * run", "what would * run", "what will * run", "what's * run", "what does * go for", "what do * go for"]),
        new(Topics.Durations, "how long services take", ["how long", "duration", "take long"]),
        new(Topics.Services, "which services are offered", ["services", "what do you offer", "do you offer", "do you do", "what do you do", "do you provide"]),
    ];

    /// <summary>The topics this business can answer: the built-in ones (address and parking only when the owner gave
    /// them), one per owner fact, one per profession FAQ entry.</summary>
    public static IReadOnlyList<QuestionTopic> TopicsFor(Tenant tenant, Profession profession)
    {
        var topics = BuiltIn.Where(t => t.Id switch
        {
            Topics.Address => tenant.Facts.ContainsKey("address"),
            Topics.Parking => tenant.Facts.ContainsKey("parking"),
            _ => true,
        }).ToList();
        foreach (var key in tenant.Facts.Keys.Where(k => k is not ("address" or "parking")))
        {
            topics.Add(new QuestionTopic(Topics.FactPrefix + key, $"the business's {Humanize(key)}", [.. FactKeywords(key), .. NamesIn(tenant.Facts[key], profession)])
            {
                Says = tenant.Facts[key],
                Subject = Humanize(key),
            });
        }

        for (var i = 0; i < profession.Faq.Count; i++)
        {
            var faq = profession.Faq[i];
            topics.Add(new QuestionTopic(Topics.FaqPrefix + i.ToString(CultureInfo.InvariantCulture), faq.Question, faq.Keywords));
        }

        return topics;
    }

    /// <summary>The answer to a question about <paramref name="topic"/>, or null when the business's data has none.</summary>
    public static string? Answer(string? topic, Understood u, TurnContext ctx)
    {
        var tenant = ctx.Tenant;
        var p = ctx.Prompts;
        var service = u.Service is null ? null : ctx.Services.FirstOrDefault(s => s.Name == u.Service);
        switch (topic)
        {
            case null:
                return null;
            case Topics.OpenNow:
                return OpenNow(ctx);
            case Topics.Hours:
                return u.Date is { } day ? HoursOn(tenant, day, ctx.Today, p) : WeeklyHours(tenant, p);
            case Topics.Address:
                return tenant.Facts.TryGetValue("address", out var address) ? Say(p.AnswerAddress, tenant, ("address", address)) : null;
            case Topics.Parking:
                return tenant.Facts.TryGetValue("parking", out var parking) ? Sentence(parking) : null;
            case Topics.Services:
                return service is not null
                    ? Offered(service, tenant, p)
                    : Say(p.AnswerServices, tenant, ("services", PromptText.List(ctx.Services.Select(s => s.Name.ToLowerInvariant()), "and")));
            case Topics.Prices:
                return service is not null ? Price(service, tenant, p) : string.Join(' ', ctx.Services.Select(s => Price(s, tenant, p)));
            case Topics.Durations:
                return service is not null ? Duration(service, tenant, p) : string.Join(' ', ctx.Services.Select(s => Duration(s, tenant, p)));
        }

        if (topic.StartsWith(Topics.FactPrefix, StringComparison.Ordinal) && tenant.Facts.TryGetValue(topic[Topics.FactPrefix.Length..], out var fact))
        {
            return Sentence(fact);
        }

        if (topic.StartsWith(Topics.FaqPrefix, StringComparison.Ordinal)
            && int.TryParse(topic[Topics.FaqPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n < ctx.Profession.Faq.Count)
        {
            return ctx.Profession.Faq[n].Answer;
        }

        return null;
    }

    private static string OpenNow(TurnContext ctx)
    {
        var p = ctx.Prompts;
        var local = ctx.Tenant.ToLocal(ctx.Now).DateTime;
        var now = TimeOnly.FromDateTime(local);
        var today = DateOnly.FromDateTime(local);
        if (ctx.Tenant.HoursOn(today).FirstOrDefault(r => now >= r.Start && now < r.End) is { End: var end } range && range != default)
        {
            return Say(p.AnswerOpenNow, ctx.Tenant, ("time", Spoken.Time(end)));
        }

        for (var d = 0; d <= 14; d++)
        {
            var date = today.AddDays(d);
            var opening = ctx.Tenant.HoursOn(date).Where(r => d > 0 || r.Start > now).Select(r => (TimeOnly?)r.Start).FirstOrDefault();
            if (opening is { } start)
            {
                var when = d == 0 ? "today" : d == 1 ? "tomorrow" : Spoken.Date(date, ctx.Today);
                return Say(p.AnswerClosedNowOpensAgain, ctx.Tenant, ("when", when), ("time", Spoken.Time(start)));
            }
        }

        return Say(p.AnswerClosedNow, ctx.Tenant);
    }

    /// <summary>"On Tuesday, November 24 we're open 9 am to noon and 1 pm to 5 pm." or closed (answerHoursOn,
    /// answerClosedOn, answerClosedForTheDay).</summary>
    public static string HoursOn(Tenant tenant, DateOnly date, DateOnly today, ProfessionPrompts prompts)
    {
        var ranges = tenant.HoursOn(date);
        var day = date == today ? "today" : date == today.AddDays(1) ? "tomorrow" : $"on {Spoken.Date(date, today)}";
        if (ranges.Count == 0)
        {
            return Say(tenant.ClosedDates.Contains(date) ? prompts.AnswerClosedForTheDay : prompts.AnswerClosedOn, tenant, ("day", day));
        }

        return Say(prompts.AnswerHoursOn, tenant, ("day", day), ("hours", Ranges(ranges)));
    }

    /// <summary>The week's hours, days with the same hours grouped: "Monday, Thursday and Friday 9 am to 5 pm; …".</summary>
    public static string WeeklyHours(Tenant tenant, ProfessionPrompts prompts)
    {
        DayOfWeek[] week = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];
        var groups = week
            .GroupBy(d => tenant.Hours.TryGetValue(d, out var r) && r.Count > 0 ? Ranges(r) : string.Empty)
            .ToList();
        var open = string.Join("; ", groups.Where(g => g.Key.Length > 0).Select(g => $"{Days(g.ToList(), week)} {g.Key}"));
        var closed = groups.FirstOrDefault(g => g.Key.Length == 0);
        return closed is null
            ? Say(prompts.AnswerWeeklyHoursEveryDay, tenant, ("hours", open))
            : Say(prompts.AnswerWeeklyHours, tenant, ("hours", open), ("closedDays", Days(closed.ToList(), week)));
    }

    /// <summary>"Monday to Friday" for a run of three or more days in a row, else a list.</summary>
    private static string Days(List<DayOfWeek> days, DayOfWeek[] week)
    {
        var parts = new List<string>();
        for (var i = 0; i < days.Count;)
        {
            var j = i;
            while (j + 1 < days.Count && Array.IndexOf(week, days[j + 1]) == Array.IndexOf(week, days[j]) + 1)
            {
                j++;
            }

            if (j - i >= 2)
            {
                parts.Add($"{DayName(days[i])} to {DayName(days[j])}");
            }
            else
            {
                parts.AddRange(days.Skip(i).Take(j - i + 1).Select(DayName));
            }

            i = j + 1;
        }

        return Spoken.List(parts, "and");
    }

    private static string Ranges(IEnumerable<TimeRange> ranges) =>
        Spoken.List(ranges.Select(r => $"{Spoken.Time(r.Start)} to {Spoken.Time(r.End)}"), "and");

    private static string DayName(DayOfWeek d) => En.DateTimeFormat.GetDayName(d);

    private static string Price(ServiceOffering s, Tenant tenant, ProfessionPrompts p)
    {
        var service = ("service", PromptText.Service(s.Name));
        return (s.PriceMin, s.PriceMax) switch
        {
            (0, 0) => Say(p.AnswerPriceFree, tenant, service),
            ({ } lo, { } hi) => Say(p.AnswerPrice, tenant, service, ("price", Amounts(lo, hi, tenant, p))),
            ({ } lo, null) => Say(p.AnswerPriceFrom, tenant, service, ("price", Money(lo, tenant, p))),
            (null, { } hi) => Say(p.AnswerPriceUpTo, tenant, service, ("price", Money(hi, tenant, p))),
            _ => Say(p.AnswerPriceOnRequest, tenant, service),
        };
    }

    /// <summary>"Yes, we do whitening", with its price when there is one.</summary>
    private static string Offered(ServiceOffering s, Tenant tenant, ProfessionPrompts p)
    {
        var service = ("service", PromptText.Service(s.Name));
        return (s.PriceMin, s.PriceMax) switch
        {
            (0, 0) => Say(p.AnswerServiceOfferedFree, tenant, service),
            ({ } lo, { } hi) => Say(p.AnswerServiceOfferedPrice, tenant, service, ("price", Amounts(lo, hi, tenant, p))),
            ({ } lo, null) => Say(p.AnswerServiceOfferedPrice, tenant, service, ("price", Money(lo, tenant, p))),
            _ => Say(p.AnswerServiceOffered, tenant, service),
        };
    }

    private static string Duration(ServiceOffering s, Tenant tenant, ProfessionPrompts p) =>
        Say(p.AnswerDuration, tenant, ("service", PromptText.Service(s.Name)),
            ("duration", s.Minutes % 60 == 0 && s.Minutes >= 60 ? Hours(s.Minutes / 60) : $"{s.Minutes} minutes"));

    private static string Hours(int h) => h == 1 ? "an hour" : $"{h} hours";

    /// <summary>One amount, or the range from <paramref name="lo"/> to <paramref name="hi"/> (the priceRange prompt).</summary>
    private static string Amounts(decimal lo, decimal hi, Tenant tenant, ProfessionPrompts p) =>
        lo == hi ? Money(lo, tenant, p) : Say(p.PriceRange, tenant, ("min", Money(lo, tenant, p)), ("max", Money(hi, tenant, p)));

    /// <summary>An amount in the business's currency, by the money prompt ("${amount}"): "$90", "$39.50".</summary>
    private static string Money(decimal amount, Tenant tenant, ProfessionPrompts p) =>
        Say(p.Money, tenant, ("amount", amount.ToString(amount == decimal.Truncate(amount) ? "#,0" : "#,0.00", En)));

    /// <summary>A prompt filled with the business's name and <paramref name="values"/>.</summary>
    private static string Say(string template, Tenant tenant, params (string Key, Phrase Value)[] values)
    {
        var all = new Dictionary<string, Phrase>(StringComparer.Ordinal) { ["business"] = tenant.Name };
        foreach (var (key, value) in values)
        {
            all[key] = value;
        }

        return PromptText.Fill(template, all);
    }

    private static string Sentence(string text)
    {
        var t = text.Trim();
        return t.Length == 0 || t[^1] is '.' or '!' or '?' ? t : t + ".";
    }

    private static string Humanize(string key) => string.Join(' ', SplitKey(key));

    private static IEnumerable<string> SplitKey(string key)
    {
        var word = new System.Text.StringBuilder();
        foreach (var c in key)
        {
            if (!char.IsLetterOrDigit(c) || (char.IsUpper(c) && word.Length > 0))
            {
                if (word.Length > 0)
                {
                    yield return word.ToString().ToLowerInvariant();
                    word.Clear();
                }

                if (!char.IsLetterOrDigit(c))
                {
                    continue;
                }
            }

            word.Append(c);
        }

        if (word.Length > 0)
        {
            yield return word.ToString().ToLowerInvariant();
        }
    }

    /// <summary>The proper names in a fact's text ("Oakland, Berkeley and Alameda", "English and Spanish", "Visa"), so
    /// "do you come out to Berkeley?" finds the service area. Days, months and service names are left out: those
    /// questions belong to the hours and the services.</summary>
    private static IEnumerable<string> NamesIn(string fact, Profession profession)
    {
        var services = profession.Services.SelectMany(s => s.Synonyms.Append(s.Name)).SelectMany(n => n.Split(' ')).Select(w => w.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        foreach (var sentence in fact.Split(['.', '!', '?', ';', ':'], StringSplitOptions.RemoveEmptyEntries))
        {
            // The first word of a sentence is capitalised anyway ("Dogs, cats and rabbits", "Repairs are covered").
            foreach (var raw in sentence.Split([' ', ',', '(', ')', '/', '"'], StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                var word = raw.Trim('\'', '-');
                if (word.Length < 3 || !char.IsUpper(word[0]) || word.Skip(1).Any(char.IsUpper) && word.Length <= 3)
                {
                    continue;
                }

                var lower = word.ToLowerInvariant();
                if (!CommonCapitalized.Contains(lower) && !services.Contains(lower) && !services.Contains(lower.TrimEnd('s')) && !services.Contains(lower + "s"))
                {
                    yield return lower;
                }
            }
        }
    }

    /// <summary>Capitalised words that are not names: sentence starts, days and months.</summary>
    private static readonly HashSet<string> CommonCapitalized = new(StringComparer.Ordinal)
    {
        "we", "our", "the", "yes", "no", "please", "it", "its", "it's", "this", "that", "you", "your", "for", "and", "or", "but", "if",
        "on", "in", "at", "all", "any", "free", "call", "ask", "just", "also", "there", "they", "most", "some", "only", "every", "each",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
        "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays", "weekdays", "weekends",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "street", "st", "ave", "avenue", "road", "rd", "suite", "unit", "open", "closed", "after", "before", "from", "until", "with",
        "cash", "card", "cards", "credit", "debit", "check", "checks", "parking", "park", "lot", "here", "when", "where", "what",
    };

    /// <summary>How callers ask about the facts owners most often give, by the start of a word of the fact's key.</summary>
    private static readonly (string Stem, string[] Said)[] FactSynonyms =
    [
        ("pay", ["credit card", "credit cards", "debit card", "cards", "card", "cash", "apple pay", "checks", "visa", "mastercard", "amex", "take card", "accept card"]),
        ("area", ["travel to", "do you cover", "do you serve", "service area", "how far do you", "what areas"]),
        ("walk", ["walk in", "walk ins", "without an appointment", "drop in", "just come in"]),
        ("language", ["speak spanish", "speak english", "languages", "language", "speak"]),
        ("warrant", ["warranty", "guarantee", "guaranteed"]),
        ("deliver", ["deliver", "delivery", "drop off", "bring it"]),
    ];

    /// <summary>Words too common to stand alone for a fact ("after" of "after hours" is in "the day after tomorrow").</summary>
    private static readonly HashSet<string> GenericWords = new(StringComparer.Ordinal)
    {
        "after", "before", "hours", "hour", "service", "services", "time", "times", "open", "opening", "info", "information",
        "policy", "policies", "other", "general", "extra", "special", "about", "when", "where", "what", "with", "your", "days",
    };

    /// <summary>A fact key's words and their common variants ("payment" → "payment", "pay", "paying").</summary>
    private static IReadOnlyList<string> FactKeywords(string key)
    {
        var words = SplitKey(key).ToList();
        var result = new List<string> { string.Join(' ', words) };
        foreach (var (stem, said) in FactSynonyms)
        {
            if (words.Any(w => w.StartsWith(stem, StringComparison.Ordinal)))
            {
                result.AddRange(said);
            }
        }

        foreach (var w in words.Where(w => w.Length > 3 && !GenericWords.Contains(w)))
        {
            result.Add(w);
            if (w.EndsWith('s'))
            {
                result.Add(w[..^1]);
            }
            else
            {
                result.Add(w + "s");
            }

            if (w.EndsWith("ment", StringComparison.Ordinal))
            {
                result.Add(w[..^4]);
            }
        }

        return result.Distinct(StringComparer.Ordinal).ToList();
    }
}
