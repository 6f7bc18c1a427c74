/**
 * Training sentences for synthetic speech, several per language, chosen to cover open and close
 * vowels, rounding, bilabials and labiodentals. espeak-ng reads them; Japanese is in kana because
 * the emscripten build has no kanji dictionary.
 */
export const SENTENCES: Record<string, string[]> = {
  'en-us': [
    'Bob made a map of five apples, and we moved on.',
    'Please bring the blue box before we leave for the park.',
    'Father saw a huge wave and a few boats far away.',
    'My mother bought some very fine fish at the market.',
    'Why would anyone open a window in the middle of winter?',
    'I think the problem was simple, but nobody believed me.',
  ],
  'en-gb': ['The weather in the valley was fairly warm for February.', 'Pop music played while the boy fed the puppy.'],
  fr: [
    'Bonjour, est-ce que vous allez bien aujourd\'hui ?',
    'Le petit bateau blanc flotte sur la mer bleue.',
    'Ma mère a préparé une bonne soupe aux poireaux.',
    'Vous voulez partir à Paris avant la fin du mois ?',
    'Il fait beau, nous pouvons manger dehors ce soir.',
  ],
  de: [
    'Guten Morgen, wie geht es Ihnen heute?',
    'Meine Mutter backt jeden Freitag ein frisches Brot.',
    'Wir fahren mit dem Fahrrad über die alte Brücke.',
    'Das Wasser im Bach ist kalt und sehr klar.',
    'Vielleicht kommen wir morgen früh zum Bahnhof.',
  ],
  it: [
    'Buongiorno, come stai oggi? Tutto bene, grazie.',
    'Mia madre prepara la pasta con il pomodoro fresco.',
    'Partiamo presto per vedere il mare e le montagne.',
    'Il bambino beve un bicchiere di latte freddo.',
  ],
  es: [
    'Buenos días, ¿cómo está usted? Muy bien, gracias.',
    'Mi padre compró pan y vino para la fiesta de mañana.',
    'Vamos a la playa para ver las olas del mar.',
    'El perro bebe agua fresca bajo el árbol.',
  ],
  pt: ['Bom dia, como vai você? Vamos para a praia amanhã.', 'Minha mãe faz um bolo muito bom aos domingos.'],
  ru: [
    'Доброе утро, как у вас дела сегодня?',
    'Мама купила свежий хлеб и молоко в магазине.',
    'Мы поедем в Москву на поезде в пятницу.',
    'Большой белый пароход плывёт по морю.',
  ],
  ja: [
    'おはようございます。きょうは いい てんきですね。',
    'わたしは まいにち でんしゃで かいしゃに いきます。',
    'ふじさんは とても うつくしい やまです。',
    'ぶんぼうぐを かいに みせへ いきましょう。',
  ],
  cmn: ['你好，今天天气很好。', '我们明天一起去北京吃饭吧。', '妈妈买了很多苹果和面包。', '这本书非常有意思，我很喜欢。'],
  ko: ['안녕하세요, 오늘 날씨가 정말 좋네요.', '우리는 버스를 타고 바다에 갑니다.', '어머니께서 맛있는 밥을 만들어 주셨어요.'],
  nl: ['Goedemorgen, hoe gaat het met u vandaag?', 'Mijn broer woont in een mooi huis bij het park.'],
  pl: ['Dzień dobry, jak się pan dzisiaj miewa?', 'Mama kupiła świeży chleb i masło w sklepie.'],
  sv: ['God morgon, hur mår du i dag?', 'Vi åker båt över sjön på fredag.'],
  tr: ['Günaydın, bugün nasılsınız?', 'Babam pazardan taze ekmek ve balık aldı.'],
  fi: ['Hyvää huomenta, mitä kuuluu tänään?', 'Me menemme mökille veneellä perjantaina.'],
  cs: ['Dobrý den, jak se dnes máte?', 'Maminka upekla výborný buchty pro babičku.'],
  el: ['Καλημέρα, τι κάνετε σήμερα;', 'Η μητέρα μου φτιάχνει πολύ ωραίο φαγητό.'],
  vi: ['Xin chào, hôm nay bạn có khỏe không?', 'Mẹ tôi mua bánh mì và phở ở chợ.'],
  hi: ['नमस्ते, आप आज कैसे हैं?', 'मेरी माँ बाज़ार से फल और सब्ज़ी लाई।'],
  id: ['Selamat pagi, apa kabar hari ini?', 'Bapak membeli buah mangga di pasar.'],
};
