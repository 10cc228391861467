namespace Receptionist.Core.Understanding;

/// <summary>
/// Example sentences for understanding by meaning (sentence embeddings): what callers in danger say, and what routine
/// callers say that sounds close to it. Written for the product, across the professions; a caller's sentence is
/// compared with these when no rule recognised it (see the emergency classifier).
/// </summary>
public sealed partial class Lexicon
{
    private static string[] EnglishUrgentExamples =>
    [
        // people hurt or unwell
        "someone is badly hurt and bleeding a lot", "he fell and hit his head and isn't waking up", "she collapsed on the floor and is not breathing right",
        "my husband is having chest pains and can't catch his breath", "she passed out and we can't wake her", "he's having a seizure right now",
        "my friend fainted and hit the ground hard", "she's confused and slurring her words all of a sudden", "one side of his face is drooping and his arm is weak",
        "I feel like I'm going to pass out and my heart is racing", "he cut himself badly and the bleeding won't stop", "there's a lot of blood and it's soaking through",
        "my child swallowed something and is choking", "she's having a bad allergic reaction and her lips are swelling", "his throat is closing up and he's wheezing",
        "I got stung and I'm allergic and my face is swelling up fast", "I can't breathe properly after the treatment", "my skin is breaking out in hives and I feel faint",
        "I'm shaking and sweating and feel like I'm going to black out", "she fell down the stairs and can't move her leg", "he fell off the ladder and is lying on the ground",
        "a kid fell into the water and they just pulled him out", "someone got hit by a car right outside", "we were in a car accident on the way and my son is hurt",
        "I'm pregnant and I'm bleeding and cramping", "the baby hasn't been moving since this morning", "I have a high fever and the swelling keeps spreading",
        "my eye got splashed with chemicals and I can't see", "I got burned with hot water and the skin is peeling off", "the burn is blistering and it's really bad",
        // mouth and teeth
        "my tooth got knocked out and it's bleeding", "he fell and his front teeth are broken and pushed in", "my tooth cracked in half and the pain is unbearable",
        "my jaw is so swollen I can barely open my mouth", "there's pus and I have a fever after the procedure", "my gums won't stop bleeding after the extraction",
        "the pain is so bad I'm crying and can't sleep", "my face blew up on one side and it's hard to swallow",
        // infection after a procedure
        "the area is hot and red and spreading and I have chills", "it's oozing and smells bad and I feel sick", "there are red lines running up my arm from it",
        "my skin turned dark and it's getting worse and hurts terribly",
        // fire, smoke, gas, electricity
        "there's smoke coming out of the building", "something caught fire and the room is full of smoke", "there are flames coming from under the hood",
        "I smell gas really strongly in the house", "it smells like rotten eggs in the kitchen", "the carbon monoxide alarm is beeping and we all have headaches",
        "we all feel sick and dizzy since the heater came on", "there are sparks coming out of the wall socket", "the breaker panel is hot and crackling",
        "the outlet is smoking and smells burnt", "the wires are melting and it smells like burning plastic", "the fire alarm is going off and it's getting smoky",
        "I can hear gas hissing from the pipe", "the water heater is making a loud hissing and steam is shooting out",
        // water
        "water is pouring through the ceiling", "a pipe burst and water is spraying everywhere", "the basement is flooding and the water keeps rising",
        "sewage is coming up through the drains", "the toilet is overflowing onto the floor and won't stop", "water is running down the wall near the outlet",
        "there's an inch of water across the whole floor and it's still coming", "water is gushing out and I can't shut it off",
        "the ceiling is sagging with water and about to come down", "dirty water is bubbling up from the floor drain",
        // locked in, trapped, stranded
        "my baby is locked inside the car and it's hot outside", "my dog is trapped in the car with the windows up", "my kid is locked in the house alone",
        "I'm trapped inside and the door won't open", "my elderly father is locked in and not answering", "I'm stuck in the freezer room and can't get out",
        "the car is running in the closed garage and I'm locked out of it", "I'm locked out in the freezing cold with no coat", "I'm stranded alone at night and it's not safe",
        "someone is following me and I can't get into my house", "somebody is trying to break in right now", "my door has been kicked in and they might still be inside",
        "there's a stranger in the house", "I heard someone inside and I'm hiding",
        // driving
        "my brakes just failed on the highway", "the brake pedal went to the floor and the car won't stop", "the steering locked up while I was driving",
        "my wheel is coming off", "the car died in the middle of the highway with traffic all around", "the car stalled on the railroad tracks",
        "I broke down on the shoulder in the dark by myself", "the tire blew out and I spun off the road", "smoke is pouring from the engine while I'm driving",
        "fluid is pouring out from under the car and the brakes feel soft", "the car shut off on the bridge and I have no power",
        // animals
        "my dog ate a whole bar of chocolate", "the cat got into the antifreeze", "my puppy ate rat poison", "my dog swallowed a bunch of grapes",
        "he ate my medication off the counter", "my cat chewed on a lily plant", "the dog ate something and keeps vomiting and is lethargic",
        "my dog's belly is swollen and hard and he can't throw up", "my cat is straining in the litter box and crying", "my dog was hit by a car",
        "my pet is having trouble breathing", "my dog is having a seizure and won't stop shaking", "the rabbit hasn't eaten or pooped all day",
        "my dog got attacked and has a deep wound that's bleeding", "my bird is sitting at the bottom of the cage and not moving",
        "the dog got stung and his face is swelling and he's wheezing", "my cat was in a fight and is limping and bleeding badly",
        // structure
        "the deck collapsed with people on it", "the ceiling just fell in on someone", "the floor gave way and someone fell through",
        "the stairs collapsed and my husband can't move",
    ];

    private static string[] EnglishRoutineExamples =>
    [
        "I'd like to book an appointment next week", "how much does it cost", "what are your hours", "do you take my insurance", "where are you located",
        "I need to reschedule my appointment", "can I cancel my booking", "can someone call me back", "I'd like to leave a message",
        "what should I do if this ever happens", "do you handle emergencies, just asking for the future", "what would happen if a pipe burst at night",
        "that happened last year and it was fixed, now I need a checkup", "it was a problem a long time ago and it's fine now", "I had a bad reaction years ago, can I do a test first",
        "it's not an emergency, whenever you have time", "nobody is hurt, I just need an estimate", "there's no rush at all", "it's not urgent",
        "this price is killing me", "the market is on fire right now", "my hair is a total disaster", "I want a bright fire red color", "I want a tattoo of flames",
        "can you inspect the gas fireplace", "do you check the carbon monoxide detectors", "I need an emergency brake adjustment", "is a little soreness normal",
        "it's healing fine, I want to book the follow up", "the bleeding stopped and I want the follow up visit", "can I get a quote for a repair", "do you sell gift cards",
        "is the car on your website still available", "I'd like to schedule a test drive", "my drain is slow, can someone come out", "my faucet drips a bit",
        "the noise has been there for weeks, can I bring it in", "my pet needs its shots", "can you trim my dog's nails", "I'd like headshots",
        "do you have any openings on saturday", "the house had water damage years ago, should I get it inspected", "what happens if it rains on the day of the shoot",
        "I want to change my locks", "can you make me a spare key", "I'm locked out of the shed but there's no hurry", "my toilet keeps running",
        "the water heater is old, I want it checked before winter", "my brakes squeak a little", "my check engine light is on but it drives fine",
        "I'd like an oil change", "my tooth is a little sensitive to cold", "I need a cleaning", "my back is sore from work, do you have a deep tissue opening",
        "can I book a couples massage", "my tattoo is peeling like normal, how should I care for it", "how long does the inspection take", "when will I get the report",
        "do you do radon testing", "can you look at the mold in my bathroom", "we're buying a house and need an inspection", "my cat needs to be spayed",
        "my dog has been scratching his ears", "what foods are bad for dogs", "is chocolate dangerous for cats, just wondering", "how long should she fast before surgery",
        "I want to see the house on maple street", "how much is my house worth", "do you have agents who speak spanish", "can I get financing",
        "do you buy used cars", "I need my car serviced", "my window won't roll up, can you fix it", "the car pulls to the left a little",
        "I want highlights", "do you take walk ins", "I had a small kitchen fire years ago that was repaired", "my dog ate a sock last year and was fine",
        "I was locked out last week, now I want a keypad lock", "we had a flood in 2019 but it's been dry since", "the leak under the sink was fixed",
        "is it normal to be a bit swollen after a filling", "do you see emergencies on weekends", "do you do lockouts", "can you open a safe",
        "we need a photographer for a party", "can you cover our wedding", "my kids need haircuts", "do you do kids cuts", "I need a new toilet installed",
        "I'd like the sewer line inspected", "my garbage disposal is jammed", "I need a rekey after moving in", "my car key fob stopped working",
        "my water heater is acting up", "the furnace is acting weird", "the car is making a funny noise", "my lock is sticking",
        "the AC isn't cooling very well", "something is wrong with my brakes, can you look at them", "my tooth has been bothering me a bit",
        "the toilet isn't flushing right", "my dog has been a little off lately", "I'd like to trade in my truck", "what's the price of the blue suv", "I got a recall letter", "can I wait while you do it",
    ];
}
