namespace Receptionist.Core.Understanding;

/// <summary>
/// The English words of danger: how callers describe a person or animal in danger, fire, gas, water out of control and
/// the rest, as concepts rather than fixed phrases. Cue syntax (read by the emergency classifier): words in order,
/// each slot may hold alternatives ("pour*|gush*", an alternative may be several words), "*" ends a prefix ("swell*" =
/// swelling, swells); slots joined by " + " may have up to three other words between them, by " .. " up to eight, all in
/// one clause.
/// </summary>
public sealed partial class Lexicon
{
    private const string Endangered = "baby|child|kid|kids|toddler|daughter|son|dog|cat|puppy|kitten|pet|dad|mom|mother|father|grandma|grandpa|husband|wife|elderly";

    /// <summary>Who can be hurt, besides <see cref="Endangered"/>: "he's hurt", "the driver is injured".</summary>
    private const string People = Endangered + "|he|she|they|someone|somebody|friend|guy|man|woman|lady|boy|girl|brother|sister|grandmother|grandfather|customer|client|driver|passenger|inspector|agent|worker|everyone";

    /// <summary>Signs of a body giving way (a person or an animal).</summary>
    private const string GivingWay = "collapsing|falling over|falling down|passing out|fainting|blacking out|losing consciousness|having seizures";

    private static DangerConcept[] EnglishDangers =>
    [
        new("fire", [
            "smoke|smoking + coming|pouring|from|out|filling|everywhere|under|still|in the", "there's|theres|there is|see|smell + smoke", "smoky",
            "flames|flame", "on fire", "caught fire", "burning smell", "smell*|smells|reeks|stinks + burn*|burnt|smoke", "fire alarm + going|off|screaming",
            "burning plastic|rubber|wires", "is smoking|it's smoking|started smoking|keeps smoking", "smoking + now|badly|bad|a lot", "steam + pouring|shooting|billowing|everywhere",
            "smoke alarm|smoke detector|fire alarm + screaming|blaring|won't stop"], Universal: true),
        new("gas", [
            "smell*|reek*|stink* + gas", "gas + smell|leak|leaking", "rotten egg*", "carbon monoxide + alarm|detector .. going|off|beeping|screaming|keeps",
            "co alarm|detector", "hissing .. gas|meter", "gas + hissing", "exhaust + getting|coming in|into", "fumes .. headache*|dizzy|sick|in the car",
            "odor|odour + gas|of gas", "gas + odor|odour", "sulfur|sulphur + smell", "gas line|gas pipe|gas main + hit|broke|cut|damaged|leaking|ruptured"]),
        new("water", [
            "water|sewage|sewer .. pour*|gush*|spray*|everywhere|flood*|filling|coming through|coming up|running down|rising|seeping|overflow*|soaking|won't stop",
            "pipe*|line + burst|broke|split|bursting", "burst + pipe*", "heater|tank|hose|main|valve + burst|bursting|exploded|split|blew",
            "water .. all over the|all over my", "can't|cannot|couldn't|won't + shut off|turn off|shut it off|turn it off|shut the water|turn the water|find the shutoff|find the shut off", "flooding|flooded", "overflowing", "backed|backing up", "raw sewage", "sewage + coming|up|everywhere",
            "ceiling .. sagging|cracking|dripping|leaking|coming down|falling", "inch deep", "filling up with water", "water everywhere",
            "under water|underwater|inches of water|foot of water|feet of water|ankle deep|knee deep", "sump pump + died|failed|quit|stopped|not working|isn't working|broke"]),
        new("electric", ["spark|sparks|sparking|sparked", "zapped|electrocuted", "got shocked", "panel + buzzing|smoking|hot", "outlet*|switch|breaker|panel .. popping|sparking|warm|hot|smoking|burnt|melted|melting|scorch*|charred",
            "wires + sparking|smoking", "live wire*|bare wire*|exposed wire*", "power line|power lines|downed line"]),
        new("breathing", [
            "can't|cannot|cant|couldn't + breathe", "trouble|hard|struggling|difficulty + breath*", "short of breath", "breathing + funny|weird|fast|heavy|hard|strange|with her mouth|with his mouth",
            "throat + tight|closing|swelling|scratchy|swollen", "hard to swallow", "can't swallow", "gasping|choking", "not breathing", "sides heaving",
            "turning|looks|look + blue|gray|grey", "wheez*", "can't catch + breath", "lips + blue|purple"], Universal: true),
        new("unresponsive", [
            "collapsed", "fainted", "passed out", "unconscious", "not|isn't + moving", "not|isn't|won't + responding|waking|answering|getting up", "can't get up",
            "seizure*", "convuls*", "hit + his|her|my|their + head", "fell .. hurt|head|stairs|ladder|isn't moving|bleeding|can't get up|not getting up|cliff|roof|balcony|pier|rocks|horse|pool|lake|river",
            "head .. confused", "chest + hurts|pain|pains|tight", "dizzy .. chest|faint|headache*|sick", "chest .. dizzy", "stroke", "heart attack",
            "unresponsive", "not responsive", "keeps|keep|kept + " + GivingWay, "is|he's|she's|it's + collapsing", "blacked out", "keeled over",
            "gone limp|went limp|is limp|lifeless", "heatstroke|heat stroke|heat exhaustion", "slurring|slurred", "face + droop*", "can't|cannot|couldn't + feel + my|his|her|their"], Universal: true),
        new("bleeding", [
            "bleeding|bleed .. won't|wont|doesn't|not|will not + stop*", "won't stop bleeding", "bleed* + a lot|badly|heavily|through|everywhere|pretty bad|from",
            "blood + everywhere", "lot of blood", "gash", "deep cut", "gushing blood",
            "blood + pouring|gushing|dripping|soaked|soaking|all over", "need|needs + stitches", "cut + open|to the bone", "sliced + open|his|her|my"], Universal: true),
        new("swelling", [
            "swell*|swollen|puff*|hives .. face|lips|lip|tongue|throat|eyes|eye|jaw|neck|cheek|spreading|shut", "face|lips|tongue|jaw|eyes|neck|cheek .. swell*|swollen|puff*",
            "hives", "allergic reaction", "reaction to", "having a reaction", "anaphyla*", "epipen|epi pen", "swollen|swelling .. fever", "fever .. swollen|swelling"], Universal: true),
        new("infection", ["pus", "red streak*", "chills .. red|swollen|hot|pus|fever", "red|swollen|hot|pus|fever .. chills", "oozing", "infected .. fever|chills|hot", "hot to the touch", "abscess|abscessed",
            "hot|red + and + swollen", "swollen + and + hot|red",
            "red|redness|swollen|swelling|pus|streak* .. fever", "fever .. red|redness|swollen|swelling|pus|streak*", "redness|red + spreading|spread*|going up|moving up"]),
        new("pain", [
            "pain .. unbearable|excruciating|severe|worst|so bad|killing", "unbearable", "excruciating", "severe pain", "haven't|havent slept .. pain|tooth",
            "throbbing like crazy", "in agony", "screaming in pain", "dry socket", "up all night .. pain|tooth|hurt*",
            "ten out of ten|10 out of 10", "pain + radiating|spreading .. ear|jaw|head|neck"]),
        new("burn", ["burned|burnt|burn + blister*|hurts|bad|skin", "blister*", "scalp .. burning", "chemical burn", "falling out in clumps",
            "skin + peeling off|bubbling|coming off", "scald*", "eyes + burning|burn|are burning|on fire", "burning + eyes"]),
        new("poison", [
            "ate|eaten|eat|chewed|swallowed|got into|licked|drank|knocked .. chocolate|grapes|grape|raisins|antifreeze|poison|pellets|xylitol|sugar free|pills|pill|medication|medicine|lily|lilies|onions|bleach|ibuprofen|tylenol|advil|batteries|battery|cleaner|sock|socks|string|toy|bone|rock|corn cob|needle|hook|tinsel|ribbon|hair tie|coin|magnet|magnets|mushroom*|edible|weed|fertilizer|pesticide|insecticide|slug bait|snail bait",
            "overdose*", "took too many",
            "rat poison", "antifreeze", "poisoned|poisoning", "pills + missing|gone"]),
        new("animal", [
            "bloated|distended", "trying to + throw up|vomit", "straining", "hasn't|hasnt|not|won't + eaten|eating|peed|pooped|drunk|eat",
            "hit by a car", "got hit by",
            "can't|cannot|couldn't|unable to + stand|get up|walk|lift", "won't + stand|get up|lift his head|lift her head", "falling over|fell over|falls over|keeps falling",
            "pale|white|grey|gray|blue|purple + gums|tongue", "gums|tongue .. pale|white|grey|gray|blue|purple",
            "keeps|keep|won't stop + vomiting|throwing up|puking", "vomit*|throwing up|threw up|puking + blood", "blood + in + his|her|the .. stool|urine|pee|poop|vomit",
            "in labor|giving birth .. hours|stuck|no puppy|no puppies|no kitten|no kittens|not coming", "panting + heavily|like crazy|hard|nonstop",
            "attacked|mauled|bitten + by", "can't|cannot + pee|urinate", "bloody + stool|diarrhea|poop|urine|vomit", "crying|yelping|whimpering|howling + in pain", "puncture wound*", "snake + bit|bite|bitten"]),
        new("trapped", [
            "locked|stuck|trapped|shut in|inside .. " + Endangered, Endangered + " .. inside|locked in|stuck|trapped|alone|by himself|by herself",
            "engine + running|still running", "stuck in|trapped in + the|my", "locked + herself|himself|themselves|myself + in", "car seat", "windows up"]),
        new("lockout", [
            "shut|slammed|closed|locked + behind me|behind us|behind her|behind him", "keys|key .. inside|in the ignition|in the trunk|on the counter|locked in",
            "locked + myself|ourselves|us|me + out", "can't|cannot|couldn't + get back in|get back into|get inside|get in the|get in my|get in our",
            "can't|cannot|couldn't + get into + the|my|our + house|car|apartment|home|place|building|office|truck|van",
            "can't|cannot|couldn't + open + the|my|our + door|front door|back door|car", "key + won't|wont|doesn't|will not + turn", "lock + jammed|stuck .. can't|cannot|inside|out"]),
        new("injury", [
            People + " + is|got|was|are|been|badly|seriously|really + hurt|injured", "he's|she's|someone's|they're|everyone's + hurt|injured",
            "broke|fractured + his|her|my|their|a + arm|leg|wrist|ankle|hip|collarbone|neck|nose|jaw|ribs|bone", "bone + sticking out|poking out", "concussion",
            "ambulance|paramedics|911|nine one one"], Universal: true),
        new("declared", ["this is an emergency|it's an emergency|its an emergency|we have an emergency|i have an emergency|having an emergency|there's an emergency|medical emergency"], Universal: true),
        new("intruder", [
            "break in|break into|breaking in|breaking into|broke in|broke into|broken into|busted in", "kicked in", "someone|somebody|someone's|guy|man|they + inside|upstairs|in the house|in my house", "intruder",
            "following + me|us", "let + himself|herself|themselves + in", "scared .. coming back|inside|following", "still inside", "trying to get in", "forced open"]),
        new("road", [
            "died|stalled|broke down|broken down|won't start|wont start|coasting|no power|shaking|won't turn over .. highway|interstate|freeway|shoulder|lane|tracks|road|exit|ramp|traffic|dark|alone|pulled over",
            "overheat* .. highway|interstate|freeway|shoulder|pulled over|steam|smoke|stranded|stuck", "lost + power|steering|brakes|control", "hood + flew up|popped open|flew open",
            "wheel|tire + came off|fell off", "light + flashing|blinking .. shaking|highway|smell|smoke",
            "stuck .. highway|interstate|freeway|shoulder|lane|tracks|road|exit|ramp|dark|alone", "blew out|blowout .. highway|interstate|freeway|shoulder|lane",
            "highway|interstate|freeway|shoulder|lane|tracks|railroad|ramp .. died|stalled|broke|stuck|stopped|sitting|coasting",
            "brake*|pedal|accelerator|throttle .. stuck|failed|gone|barely|floor|don't work|won't work|not working|went out|gave out|quit|stopped working", "steering + locked|gone|went", "coming off", "stranded", "airbag*|air bag* + went off|deployed|exploded"]),
        new("cold", ["locked out|stuck|stranded|outside .. below zero|freezing|degrees", "below zero|freezing .. locked out|stuck|stranded", "frostbite"]),
        new("tooth", [
            "tooth|teeth|molar .. knocked|came out|fell out|snapped|broke|broken|cracked|pushed", "hit|fell|took|knocked|punched .. loose", "knocked out", "knocked + a|his|her|my|two|out + tooth|teeth",
            "snapped off", "can't|cannot|won't + open my mouth|close my teeth|close"]),
        new("pregnancy", ["pregnant .. bleed*|cramp*|contraction*|moved|pain", "baby + hasn't|hasnt|isn't + moved|moving", "weeks .. hasn't moved"]),
        new("structure", ["collapsed|collapsing|caving", "gonna|going to|about to + come down|collapse|cave", "sagging .. cracking", "cracking .. sagging",
            "tree .. fell|came down|crashed|landed + on|through|into", "fell through|came through|crashed through + the|our|my + roof|ceiling|wall", "gave way", "caved in"]),
    ];

    /// <summary>Danger is in the present unless the clause says it was past and settled ("years ago", "last year and
    /// was fine", "it was repaired").</summary>
    private static string[] EnglishSettledPast =>
        ["years ago", "year ago", "last year", "last spring", "last summer", "last fall", "last winter", "last christmas", "last month", "last week",
         "back in the spring", "back in the summer", "back in the fall", "back in the winter", "back in the day", "was fine", "were fine", "been fine", "was repaired", "were repaired", "all repaired", "got fixed", "was fixed", "you fixed",
         "fixed it", "healed", "treated", "has stopped", "have stopped", "it stopped", "it's stopped", "finally stopped", "bleeding stopped", "since stopped",
         "stopped hours ago", "stopped on its own", "has gone down", "swelling went down", "has gone away", "went away on its own", "has cleared up",
         "is getting better", "it's getting better", "is much better", "it's much better", "feels much better", "as a kid", "as a child", "when i was a kid", "when i was younger", "growing up", "in high school", "been dry", "in the past", "a while back", "a while ago", "months ago", "weeks ago",
         "everything healed", "all healed"];

    /// <summary>Words that bring a settled past back to now ("we had a leak last year and now it's flooding again").</summary>
    private static string[] EnglishPresentMarkers =>
        ["now", "again", "right now", "still", "currently", "just now", "i've just", "ive just", "i just got", "has just", "have just", "just been",
         "just happened", "this morning", "tonight", "today", "keeps", "started"];

    /// <summary>Asking about a danger that is not happening ("what should I do if …", "for future reference").</summary>
    private static string[] EnglishHypothetical =>
        ["what should i do if", "what would i do if", "what do i do if", "what do we do if", "what should we do if", "what happens if", "what if",
         "in case", "just in case", "future reference", "just asking", "if ever", "ever gets", "ever get", "ever knocks", "ever eats",
         "would happen", "do you handle", "do you guys handle", "do you do", "do you guys do", "do you test", "do you check", "can you check",
         "do you inspect", "can you inspect", "is that something", "does the inspection", "does that include", "does it include",
         "do you look for", "will you check", "would you check", "do you cover", "does it cover", "is that included", "is it safe", "is it okay to", "is it ok to",
         "safe for dogs", "safe for cats", "safe to give", "do they have to disclose", "should i mention", "should i be worried about"];

    /// <summary>Danger words used as figures of speech or wishes ("the market's on fire", "I want flames").</summary>
    private static string[] EnglishFigurative =>
        ["market", "price", "prices", "sale", "deal", "deals", "lol", "i want", "i'd like", "we want", "we'd like", "style", "backdrop",
         "design", "tattoo of", "like in the picture", "killing me", "death trap", "disaster", "fire engine", "fire red", "like normal",
         "normal", "a little", "a bit", "kind of sore", "just annoying"];

    /// <summary>Words before a cue that negate it ("nothing's flooding", "nobody's hurt").</summary>
    private static string[] EnglishDangerNegators =>
        ["not", "no", "never", "nothing", "nothing's", "nobody", "nobody's", "isn't", "wasn't", "hasn't", "without", "don't", "doesn't"];
}

/// <summary>A kind of danger and the cues that describe it (syntax in <see cref="Lexicon"/>'s danger words).</summary>
/// <param name="Universal">An emergency at any business (a person who can't breathe, fire), not only where the
/// profession lists it.</param>
public sealed record DangerConcept(string Name, IReadOnlyList<string> Cues, bool Universal = false);
